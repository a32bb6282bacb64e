package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.eksaccess.adopt.AdoptionReport;
import dev.eksaccess.adopt.AdoptionScope;
import dev.eksaccess.adopt.AdoptionService;
import dev.eksaccess.adopt.ClusterAdoption.Action;
import dev.eksaccess.adopt.ClusterLister;
import dev.eksaccess.adopt.CreateClusterHistory;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.SdkAdoptionSources;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.AdoptionConfig;
import dev.eksaccess.config.CrossAccountSettings;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import dev.eksaccess.registry.ClusterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Adopts the clusters that existed before the system (docs/adopt.md): on a schedule (the CDK context key
 * {@code adoptionSchedule}, off by default) or invoked on demand ({@code eks-access adopt}). The event
 * {@code {"plan": true}} asks for a plan; any other event (a scheduled one) adopts. Answers with the report
 * ({@link AdoptionReport#toJson}) and logs one summary line, WARN when an account, region or cluster failed.
 */
public final class AdoptionHandler implements RequestStreamHandler {

    static final String FUNCTION = SessionIdentity.ADOPTION;

    private final AdoptionConfig config;
    private final Function<String, AdoptionService> services;
    private final Map<String, AdoptionService> byAccount = new ConcurrentHashMap<>();
    private final Clock clock;
    private final FunctionLog log;

    /** Wires real clients from the Lambda environment. */
    public AdoptionHandler() {
        this(AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    private AdoptionHandler(AwsClients aws, Clock clock) {
        this(AdoptionConfig.from(Environment.system(), aws.region().id()), aws, clock);
    }

    /** The EKS, CloudTrail and role clients need the function's account, which each invocation's context names. */
    private AdoptionHandler(AdoptionConfig config, AwsClients aws, Clock clock) {
        this(config, account -> {
            ClusterCreationConfig creation = config.creation();
            EksAccessProvider eks = CrossAccountEks.from(aws, account, creation.clusterReaderRoleName(),
                    creation.crossAccount().memberAccountsOrAny(), creation.crossAccount().externalId());
            SdkAdoptionSources sources = SdkAdoptionSources.from(aws, account, creation.clusterReaderRoleName(),
                    creation.crossAccount().externalId());
            return new AdoptionService(sources, eks, sources,
                    new DynamoClusterRegistry(aws.dynamoDb(), creation.registryTable(), clock),
                    new SqsBootstrapQueue(aws.sqs(), creation.grantQueueUrl()), ClusterCreatedHandler.plannerOf(creation),
                    clock);
        }, clock, FunctionLog.stdout());
    }

    /** Wires the given ports, and logs each line to {@code logSink}; the tests and the sandbox use this. */
    public AdoptionHandler(AdoptionConfig config, ClusterRegistry registry, BootstrapQueue queue, ClusterLister lister,
                           CreateClusterHistory history, EksAccessProvider eks, Clock clock, Consumer<String> logSink) {
        this(config, account -> new AdoptionService(lister, eks, history, registry, queue,
                ClusterCreatedHandler.plannerOf(config.creation()), clock), clock, logSink);
    }

    private AdoptionHandler(AdoptionConfig config, Function<String, AdoptionService> services, Clock clock,
                            Consumer<String> logSink) {
        this.config = config;
        this.services = services;
        this.clock = clock;
        this.log = new FunctionLog(FUNCTION, clock, logSink);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        AdoptionReport report;
        try {
            report = run(ClusterCreatedHandler.accountOf(context), Request.of(input.readAllBytes()));
        } catch (RuntimeException e) {
            invocation.failed(e, false);
            throw e;
        }
        invocation.write(summary(report));
        output.write(report.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Adopts (or plans) where {@code request} asks, or refuses it before looking anywhere. */
    private AdoptionReport run(String account, Request request) {
        if (request.refused() != null) {
            return AdoptionReport.refused(request.plan(), request.refused());
        }
        CrossAccountSettings cross = config.creation().crossAccount();
        AdoptionScope scope;
        try {
            scope = AdoptionScope.of(account, cross.memberAccounts(), cross.organization().isPresent(),
                    request.accounts(), config.regions());
        } catch (IllegalArgumentException malformedOrForeign) {
            return AdoptionReport.refused(request.plan(), malformedOrForeign.getMessage());
        }
        return byAccount.computeIfAbsent(account, services).run(scope,
                "adoption-" + clock.instant().getEpochSecond(), request.plan());
    }

    /**
     * What one invocation asks. {@code {"plan": true}} asks for a plan; {@code "accounts": ["111122223333", ...]}
     * names the member accounts to look in (besides the hub) instead of the configured ones, which an organization
     * deployment does not list. Anything else, a scheduled event included, adopts where configured.
     *
     * @param refused why the event cannot be served (its {@code accounts} is not a list of strings), or null
     */
    record Request(boolean plan, List<String> accounts, String refused) {

        static final String NOT_A_LIST = "\"accounts\" must be a list of account ids (strings)";

        static Request of(byte[] event) {
            Optional<JsonObject> object;
            try {
                object = Json.read(event, Json.Duplicates.REJECT).filter(JsonObject.class::isInstance)
                        .map(JsonObject.class::cast);
            } catch (IOException notJson) {
                object = Optional.empty();
            }
            if (object.isEmpty()) {
                return new Request(false, List.of(), null);
            }
            boolean plan = object.get().get("plan") instanceof JsonBoolean flag && flag.value();
            JsonValue accounts = object.get().get("accounts");
            if (accounts == null || accounts instanceof JsonValue.JsonNull) {
                return new Request(plan, List.of(), null);
            }
            List<String> ids = new ArrayList<>();
            if (accounts instanceof JsonValue.JsonArray array) {
                for (JsonValue item : array.items()) {
                    if (!(item instanceof JsonValue.JsonString id)) {
                        return new Request(plan, List.of(), NOT_A_LIST);
                    }
                    ids.add(id.value());
                }
                return new Request(plan, ids, null);
            }
            return new Request(plan, List.of(), NOT_A_LIST);
        }
    }

    static LogEvent summary(AdoptionReport report) {
        if (report.refused() != null) {
            return LogEvent.of(Level.WARN, "rejected", "adoption refused: " + report.refused(),
                    json -> json.writeBooleanField("plan", report.plan()));
        }
        String counts = report.count(report.plan() ? Action.WOULD_ADOPT : Action.ADOPTED) + " cluster(s) "
                + (report.plan() ? "would be adopted" : "adopted") + ", " + report.count(Action.REGISTERED)
                + " already registered, " + report.count(Action.SKIPPED) + " skipped, " + report.count(Action.FAILED)
                + " failed";
        long unlisted = report.listings().stream().filter(l -> l.error() != null).count();
        return LogEvent.of(report.complete() ? Level.INFO : Level.WARN, report.plan() ? "adoption-planned" : "adopted",
                counts + (unlisted == 0 ? "" : "; " + unlisted + " account/region(s) could not be listed"),
                json -> {
                    json.writeBooleanField("plan", report.plan());
                    json.writeNumberField("clusters", report.clusters().size());
                    json.writeNumberField("unlisted", unlisted);
                });
    }
}
