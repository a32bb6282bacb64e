package dev.eksaccess.bench.probe;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.handler.ClusterCreatedHandler;
import dev.eksaccess.handler.ExpirySweepHandler;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.testsupport.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * What one cold start does, run in a fresh JVM by the benchmark driver with the functions' shaded jar on the class
 * path: construct one handler as Lambda does (no-argument constructor, configuration from the environment) and hand it
 * one event, then print {@value #RESULT} and what it returned. It uses nothing but the functions jar and the
 * context every local invocation uses (test-support's {@link LocalLambdaContext}, copied into the probe jar with it),
 * so the class path is the function's own.
 *
 * <p>Arguments: {@code trivial}, {@code creation FILE} (a CloudTrail CreateCluster event as EventBridge delivers it),
 * {@code grant FILE} (a grant-queue message body), {@code sweep}, {@code sdk-alone} (no handler: the functions' HTTP client
 * and one DynamoDB client built as the functions build them, and one GetItem; the share of a cold start that the AWS
 * SDK alone costs); or {@code all CREATION_FILE GRANT_FILE}, which runs each of them once (the training run for a
 * class-data-sharing archive or an AOT cache).
 */
public final class ColdStartProbe {

    /** Starts the line the driver checks. */
    public static final String RESULT = "PROBE-RESULT ";
    /** Starts the last line: the process's CPU time (all threads, JIT and GC included) in nanoseconds, -1 unknown. */
    public static final String CPU = "PROBE-CPU-NANOS ";

    /** With {@code -Dprobe.phases=true}: marks between phases ({@link #mark}), for the per-phase measurement. */
    public static final String PHASES_PROPERTY = "probe.phases";
    /** Starts a phase mark: {@code PROBE-PHASE CPU_NANOS NAME}. */
    public static final String PHASE = "PROBE-PHASE ";
    /** Phase names: the handler's construction begins, its first event begins, it returned. */
    public static final String CONSTRUCT = "construct";
    public static final String HANDLE = "handle";
    public static final String DONE = "done";
    /** Phase names of an AWS SDK call ({@link PhaseMarks}): {@code call SERVICE OPERATION}, {@code end ...}. */
    public static final String CALL_BEGIN = "call ";
    public static final String CALL_END = "end ";

    private static final boolean PHASES = Boolean.getBoolean(PHASES_PROPERTY);

    private ColdStartProbe() {
    }

    /**
     * Prints a phase mark with the process's CPU time so far, when {@link #PHASES_PROPERTY} is set. Standard output is
     * flushed first and after, so the mark lands between the class-load lines the JVM writes there.
     */
    public static void mark(String phase) {
        if (!PHASES) {
            return;
        }
        System.out.flush();
        java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
        System.out.println(PHASE + (cpu.isPresent() ? cpu.get().toNanos() : -1L) + " " + phase);
        System.out.flush();
    }

    public static void main(String[] args) throws IOException {
        String functionArn = System.getenv().getOrDefault("PROBE_FUNCTION_ARN",
                "arn:aws:lambda:us-east-1:000000000000:function:probe");
        LocalLambdaContext context = new LocalLambdaContext(functionArn, "cold-start-probe", new StandardOutput());
        switch (args[0]) {
            case "trivial" -> System.out.println(RESULT + new TrivialHandler().handleRequest(Map.of(), context));
            case "creation" -> creation(Path.of(args[1]), context, false);
            case "creation-primed" -> creation(Path.of(args[1]), context, true);
            case "grant" -> grant(Path.of(args[1]), context, false, false);
            case "grant-primed" -> grant(Path.of(args[1]), context, false, true);
            case "grant-ids-known" -> grant(Path.of(args[1]), context, true, false);
            case "sweep" -> sweep(context, false);
            case "sweep-primed" -> sweep(context, true);
            case "sdk-alone" -> sdkAlone();
            case "all" -> {
                System.out.println(RESULT + new TrivialHandler().handleRequest(Map.of(), context));
                creation(Path.of(args[1]), context, false);
                grant(Path.of(args[2]), context, false, false);
                sweep(context, false);
                sdkAlone();
            }
            default -> throw new IllegalArgumentException("unknown probe: " + args[0]);
        }
        // Read from /proc/self/stat on Linux, after the work: unlike wall time, hardly changed by other processes.
        // No lambda here: it would spin a class in every child, the floor's included.
        java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
        System.out.println(CPU + (cpu.isPresent() ? cpu.get().toNanos() : -1L));
        if (Boolean.getBoolean(REPORT_RSS_PROPERTY)) {
            System.out.println(PEAK_RSS + peakRssKb());
        }
    }

    /** {@code -Dprobe.rss=true}: also print the peak resident set size, only where asked (the cost benchmark). */
    public static final String REPORT_RSS_PROPERTY = "probe.rss";
    public static final String PEAK_RSS = "PROBE-PEAK-RSS-KB ";

    /** VmHWM from /proc/self/status (Linux): the peak resident set size, in kB; -1 elsewhere. */
    private static long peakRssKb() {
        try (java.io.BufferedReader status = java.nio.file.Files.newBufferedReader(Path.of("/proc/self/status"))) {
            for (String line = status.readLine(); line != null; line = status.readLine()) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * With {@code primed}, what a SnapStart restore's first event costs, approximated without CRaC: the handler's own
     * SnapStart priming hook ({@code beforeCheckpoint}, which the no-argument constructor registered) runs after the
     * construction, so its work counts as init, and the event's phases show what priming left for the first event.
     * The hook is package-private in the handler; reflection reaches it, as CRaC would through its registration.
     */
    private static void prime(Object handler) {
        try {
            java.lang.reflect.Method priming = handler.getClass().getDeclaredMethod("priming");
            priming.setAccessible(true);
            ((org.crac.Resource) priming.invoke(handler)).beforeCheckpoint(null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot run the priming hook of " + handler.getClass().getName(), e);
        }
    }

    private static void creation(Path event, LocalLambdaContext context, boolean primed) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] bytes = Files.readAllBytes(event);
        mark(CONSTRUCT);
        ClusterCreatedHandler handler = new ClusterCreatedHandler();
        if (primed) {
            prime(handler);
        }
        mark(HANDLE);
        handler.handleRequest(new ByteArrayInputStream(bytes), output, context);
        mark(DONE);
        System.out.println(RESULT + output.toString(StandardCharsets.UTF_8));
    }

    private static void sweep(LocalLambdaContext context, boolean primed) {
        ScheduledEvent event = new ScheduledEvent();
        mark(CONSTRUCT);
        ExpirySweepHandler handler = new ExpirySweepHandler();
        if (primed) {
            prime(handler);
        }
        mark(HANDLE);
        String result = handler.handleRequest(event, context);
        mark(DONE);
        System.out.println(RESULT + result);
    }

    /** The AWS SDK alone: what any function pays that builds one client, as ours are built, and makes one call. */
    private static void sdkAlone() {
        String table = System.getenv(Setting.LEDGER_TABLE.variable());
        mark(CONSTRUCT);
        var dynamo = AwsClients.fromEnvironment().dynamoDb();
        mark(HANDLE);
        var response = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(Tables.LEDGER_PARTITION_KEY, AttributeValue.fromS("probe"),
                        Tables.LEDGER_SORT_KEY, AttributeValue.fromS("probe")))
                .build());
        mark(DONE);
        System.out.println(RESULT + "sdk-alone item=" + response.hasItem());
    }

    /**
     * One grant message. With {@code idsKnown}, the bound: the deployed wiring but for the senders' IAM unique ids,
     * taken from {@code PROBE_KNOWN_SENDER_IDS} ({@code ARN=ID,...}) instead of IAM {@code GetRole}: what the grant
     * processor's cold start would cost if its sender check cost nothing. Not a deployable configuration.
     */
    private static void grant(Path body, LocalLambdaContext context, boolean idsKnown, boolean primed)
            throws IOException {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(body.getFileName().toString());
        message.setReceiptHandle("probe-" + body.getFileName());
        message.setBody(Files.readString(body));
        // The SenderId SQS would give the benchmark's team role (its IAM role id, in the emulated IAM).
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(System.currentTimeMillis()),
                "ApproximateReceiveCount", "1", "SenderId", System.getenv("PROBE_SENDER_ID")));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        mark(CONSTRUCT);
        GrantRequestHandler handler = idsKnown ? KnownIds.handler() : new GrantRequestHandler();
        if (primed) {
            prime(handler);
        }
        mark(HANDLE);
        SQSBatchResponse response = handler.handleRequest(event, context);
        mark(DONE);
        System.out.println(RESULT + "batchItemFailures=" + response.getBatchItemFailures().size());
    }

    /**
     * Senders' unique ids from {@code ARN=ID,...}. A member class, not a lambda (see {@link StandardOutput}), that
     * also builds the handler: were the probe to pass it as {@code PrincipalIds} itself, verifying the probe would
     * load that interface in every child, the floor's included.
     */
    static final class KnownIds implements dev.eksaccess.authz.PrincipalIds {

        private final Map<String, String> ids = new java.util.HashMap<>();

        /** The deployed grant processor, but for its senders' ids: {@code PROBE_KNOWN_SENDER_IDS}, not IAM. */
        static GrantRequestHandler handler() {
            return GrantRequestHandler.deployedWiring(AwsClients.fromEnvironment())
                    .withPrincipalIds(new KnownIds(System.getenv("PROBE_KNOWN_SENDER_IDS"))).build();
        }

        KnownIds(String pairs) {
            for (String pair : pairs.split(",")) {
                int equals = pair.lastIndexOf('=');
                ids.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }

        @Override
        public java.util.Optional<String> uniqueIdOf(String principalArn) {
            return java.util.Optional.ofNullable(ids.get(principalArn));
        }
    }

    /**
     * Prints what the handler logs, which the driver reads to check the outcome. A member class, not a lambda: a lambda
     * would spin a class in every child, the floor's included, and the driver copies member classes by name.
     */
    static final class StandardOutput implements Consumer<String> {

        @Override
        public void accept(String line) {
            System.out.println(line);
        }
    }
}
