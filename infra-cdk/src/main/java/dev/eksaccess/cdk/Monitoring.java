package dev.eksaccess.cdk;

import dev.eksaccess.contract.OutcomeEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Alarms to an encrypted SNS topic (with an optional e-mail subscription) and a dashboard of the same signals.
 *
 * <p>The topic needs a customer managed key: CloudWatch cannot publish to a topic encrypted with the AWS managed
 * SNS key: the deployment's ({@code kmsKey}) when it has one, else a key of the topic's own, whose policy lists its
 * administrative actions one by one instead of {@code kms:*}.
 */
public final class Monitoring extends Construct {

    /**
     * A grant message legitimately waits for its cluster (10–15 minutes) and a mode switch; older than this, the
     * processor is not keeping up or is stuck.
     */
    public static final Duration MAX_MESSAGE_AGE = Duration.minutes(30);

    /** The namespace of the metrics the stack makes from the functions' log lines. */
    public static final String METRIC_NAMESPACE = "EksAccess";
    /** After the function's name: the metric of its lockout-risk lines ({@link #watchLockoutRisks}). */
    public static final String LOCKOUT_RISK_METRIC_SUFFIX = "LockoutRisks";

    private final Topic topic;
    private final IKey topicKey;
    /** The topic's own key (no {@code kmsKey}), whose policy must name each publisher; empty: the deployment's key. */
    private final Optional<Key> ownKey;
    private final Dashboard dashboard;
    private final List<IAlarm> alarms = new ArrayList<>();

    /** @param dataKey the deployment's customer managed key, which then encrypts the topic; empty: a key of its own */
    public Monitoring(Construct scope, String id, Optional<String> alarmEmail, Optional<IKey> dataKey) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.ownKey = dataKey.isPresent() ? Optional.empty() : Optional.of(Key.Builder.create(this, "TopicKey")
                .description("Encrypts the EKS access alarm topic")
                .enableKeyRotation(true)
                .policy(PolicyDocument.Builder.create().statements(List.of(
                        PolicyStatement.Builder.create()
                                .sid("KeyAdministration")
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(DataKey.ADMIN_ACTIONS)
                                .resources(List.of("*"))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("CloudWatchPublishesAlarms")
                                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                                .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                                .resources(List.of("*"))
                                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                                .build()))
                        .build())
                .build());
        this.topicKey = dataKey.isPresent() ? dataKey.get() : ownKey.get();
        this.topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("EKS access automation alarms")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        alarmEmail.ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .defaultInterval(Duration.hours(3))
                .build();
    }

    /** Alarms when a dead-letter queue holds any message: something failed for good and needs a person. */
    public void watchDeadLetterQueue(String name, IQueue queue) {
        Metric visible = queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm(name + "NotEmpty", visible, 1, name + " has messages: failed events or requests need attention");
        dashboard.addWidgets(graph(name + " (messages)", visible));
    }

    /**
     * Alarms on any error or throttle of the function, and on any {@code ERROR} line it logs: those include failures
     * that end no invocation in an error (an unexpected exception on one message, which is retried; a request
     * rejected because the deployment's permissions are wrong).
     */
    public void watchFunction(String name, Function function, ILogGroup logs) {
        Metric errors = function.metricErrors(sum());
        Metric throttles = function.metricThrottles(sum());
        alarm(name + "Errors", errors, 1, name + " failed (see its JSON logs)");
        alarm(name + "Throttles", throttles, 1, name + " was throttled (account concurrency exhausted?)");
        MetricFilter errorLines = MetricFilter.Builder.create(this, name + "ErrorLines")
                .logGroup(logs)
                .filterPattern(FilterPattern.stringValue("$.level", "=", "ERROR"))
                .metricNamespace(METRIC_NAMESPACE)
                .metricName(name + "LoggedErrors")
                .metricValue("1")
                .defaultValue(0)
                .build();
        alarm(name + "LoggedErrors", errorLines.metric(sum()), 1, name + " logged an ERROR line: an unexpected "
                + "exception, or a request rejected because the deployment's permissions are wrong (see its JSON logs)");
        dashboard.addWidgets(
                graph(name + " invocations, errors, throttles", function.metricInvocations(sum()), errors, throttles),
                graph(name + " duration (p50, p99)",
                        function.metricDuration(MetricOptions.builder().statistic("p50").build()),
                        function.metricDuration(MetricOptions.builder().statistic("p99").build())));
    }

    /**
     * Alarms on any external change judged a lockout risk (docs/drift.md): the access-change function logs each judged
     * change with its {@code severity}, recorded now or found recorded on a redelivery, so an attempt that failed
     * after recording still counts on its retry (the alarm may then count one change twice; it is the same alarm).
     */
    public void watchLockoutRisks(String name, ILogGroup logs) {
        MetricFilter risks = MetricFilter.Builder.create(this, name + "LockoutRiskLines")
                .logGroup(logs)
                .filterPattern(FilterPattern.stringValue("$.severity", "=", OutcomeEvents.LOCKOUT_RISK_SEVERITY))
                .metricNamespace(METRIC_NAMESPACE)
                .metricName(name + LOCKOUT_RISK_METRIC_SUFFIX)
                .metricValue("1")
                .defaultValue(0)
                .build();
        alarm(name + "LockoutRisk", risks.metric(sum()), 1, name + ": someone changed a cluster's access in a way"
                + " that may lock everyone out (creator's entry, last cluster admin, move to API); see the"
                + " lockout-risk line in its logs and the ledger's EXTERNAL# record (docs/drift.md)");
        dashboard.addWidgets(graph(name + " lockout-risk changes", risks.metric(sum())));
    }

    /**
     * Alarms on every log line of {@code logs} whose {@code errorType} is {@code errorType}: a fault with a name of
     * its own, besides the function's alarm on every ERROR line, so that the notification says what happened.
     */
    public void watchErrorType(String name, ILogGroup logs, String errorType, String description) {
        MetricFilter lines = MetricFilter.Builder.create(this, name + "Lines")
                .logGroup(logs)
                .filterPattern(FilterPattern.stringValue("$.errorType", "=", errorType))
                .metricNamespace(METRIC_NAMESPACE)
                .metricName(name)
                .metricValue("1")
                .defaultValue(0)
                .build();
        alarm(name, lines.metric(sum()), 1, description);
        dashboard.addWidgets(graph(name, lines.metric(sum())));
    }

    /** Alarms when the oldest message waits longer than {@link #MAX_MESSAGE_AGE}. */
    public void watchQueueAge(String name, IQueue queue) {
        Metric age = queue.metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(5)).build());
        alarm(name + "MessagesTooOld", age, MAX_MESSAGE_AGE.toSeconds().doubleValue(),
                name + ": oldest message older than " + MAX_MESSAGE_AGE.toMinutes() + " minutes");
        dashboard.addWidgets(graph(name + " (age of oldest message, visible, in flight)", age,
                queue.metricApproximateNumberOfMessagesVisible(),
                queue.metricApproximateNumberOfMessagesNotVisible()));
    }

    /**
     * Lets a role publish to the topic: sns:Publish on it, and the topic key's data keys through SNS only. The
     * topic's own key trusts no IAM policy for using it, so its policy names the role as well; the deployment's key
     * lets the account's principals use it through SNS ({@link DataKey}).
     */
    void allowPublishing(Role role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PublishAlarms")
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .build());
        List<String> actions = List.of("kms:GenerateDataKey", "kms:Decrypt");
        Map<String, Object> throughSns = Map.of("StringEquals",
                Map.of("kms:ViaService", "sns." + Stack.of(this).getRegion() + ".amazonaws.com"));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("EncryptAlarms")
                .actions(actions)
                .resources(List.of(topicKey.getKeyArn()))
                .conditions(throughSns)
                .build());
        ownKey.ifPresent(key -> key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("PublishersEncryptAlarms")
                .principals(List.of(new ArnPrincipal(role.getRoleArn())))
                .actions(actions)
                .resources(List.of("*"))
                .conditions(throughSns)
                .build()));
    }

    /**
     * Alarms when a pipe's execution fails (its target refused or could not be reached, after the pipe's retries):
     * an alarm the pipe carries may then not have arrived. The alarm's state stays visible on the dashboard even if the
     * topic itself is what fails.
     */
    public void watchPipe(String name, String pipeName) {
        Metric failed = pipeMetric("ExecutionFailed", pipeName);
        alarm(name + "Failed", failed, 1, name + " failed to deliver: a change it passed may not have been published"
                + " (see docs/deploy.md, \"The ledger tamper alarm\")");
        dashboard.addWidgets(graph(name + " (events passed, failed executions)", pipeMetric("EventCount", pipeName),
                failed));
    }

    private static Metric pipeMetric(String metricName, String pipeName) {
        return Metric.Builder.create().namespace("AWS/EventBridge/Pipes").metricName(metricName)
                .dimensionsMap(Map.of("PipeName", pipeName)).statistic("Sum").period(Duration.minutes(5)).build();
    }

    /** Adds the alarm overview; call after the last watch. */
    public void addAlarmOverview() {
        dashboard.addWidgets(AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(24).build());
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build();
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(12).build();
    }

    public Topic topic() {
        return topic;
    }

    /** The key that encrypts the topic: the deployment's ({@code kmsKey}) or the topic's own. */
    public IKey topicKey() {
        return topicKey;
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
