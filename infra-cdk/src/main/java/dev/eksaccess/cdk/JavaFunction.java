package dev.eksaccess.cdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One of the Java functions, set up the same way for all three: Java 21, SnapStart on published versions behind
 * the {@code live} alias (every trigger targets the alias), JSON logs in a log group with retention, and its own
 * role that may write to that log group only (no AWS managed policy).
 */
public final class JavaFunction extends Construct {

    /** Alias every trigger invokes; SnapStart only applies to published versions. */
    public static final String ALIAS_NAME = "live";

    /**
     * What differs between the functions.
     *
     * @param handler     {@code class::method}
     * @param description shown in the console
     * @param memoryMb    memory (and so CPU share)
     * @param timeout     per-invocation timeout
     * @param environment environment variables
     * @param code        the shaded jar
     * @param tracing     active X-Ray tracing
     * @param logRetention retention of the function's log group
     * @param logKey      customer managed key of the log group; empty: CloudWatch Logs' own encryption
     */
    public record Props(String handler, String description, int memoryMb, Duration timeout,
                        Map<String, String> environment, Code code, boolean tracing, RetentionDays logRetention,
                        Optional<IKey> logKey) {
    }

    /** CDK's names for the retentions {@link ContextParser#LOG_RETENTIONS} lists, in the same order. */
    private static final List<RetentionDays> RETENTIONS = List.of(RetentionDays.ONE_DAY, RetentionDays.THREE_DAYS,
            RetentionDays.FIVE_DAYS, RetentionDays.ONE_WEEK, RetentionDays.TWO_WEEKS, RetentionDays.ONE_MONTH,
            RetentionDays.TWO_MONTHS, RetentionDays.THREE_MONTHS, RetentionDays.FOUR_MONTHS, RetentionDays.FIVE_MONTHS,
            RetentionDays.SIX_MONTHS, RetentionDays.ONE_YEAR, RetentionDays.THIRTEEN_MONTHS,
            RetentionDays.EIGHTEEN_MONTHS, RetentionDays.TWO_YEARS, RetentionDays.THREE_YEARS, RetentionDays.FIVE_YEARS,
            RetentionDays.SIX_YEARS, RetentionDays.SEVEN_YEARS, RetentionDays.EIGHT_YEARS, RetentionDays.NINE_YEARS,
            RetentionDays.TEN_YEARS);

    /** The retention of {@code days} days, one of {@link ContextParser#LOG_RETENTIONS}. */
    public static RetentionDays logRetention(int days) {
        int index = ContextParser.LOG_RETENTIONS.indexOf(days);
        if (index < 0) {
            throw new IllegalArgumentException("CloudWatch Logs has no retention of " + days + " days");
        }
        return RETENTIONS.get(index);
    }

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final LogGroup logGroup;

    public JavaFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup.Builder logs = LogGroup.Builder.create(this, "Logs")
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.RETAIN);
        props.logKey().ifPresent(logs::encryptionKey);
        this.logGroup = logs.build();
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + id + " function")
                .build();
        logGroup.grantWrite(role);
        this.function = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .description(props.description())
                .code(props.code())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(props.environment())
                .role(role)
                .logGroup(logGroup)
                .loggingFormat(LoggingFormat.JSON)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(props.tracing() ? Tracing.ACTIVE : Tracing.DISABLED)
                .build();
        // CDK warns that SnapStart needs published versions; currentVersion below publishes one on every change.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "versions are published through currentVersion and invoked through the alias");
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .build();
    }

    /** The function itself, for metrics and settings; invoke {@link #alias()} instead. */
    public Function function() {
        return function;
    }

    /** What triggers invoke: the SnapStart-enabled published version. */
    public Alias alias() {
        return alias;
    }

    public IRole role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
