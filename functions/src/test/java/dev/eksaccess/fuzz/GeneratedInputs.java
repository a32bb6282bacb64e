package dev.eksaccess.fuzz;

import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.BootstrapRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs the message generators draw for a seed, as one digest per generator: a failure's printed seed
 * reproduces it only if a second JVM draws the same inputs, which {@link SeedReproducibilityTest} checks by running
 * this class's {@link #main} in fresh JVMs.
 */
public final class GeneratedInputs {

    /** Every generator of messages and events the properties draw from, by name. */
    static final Map<String, Gen<String>> GENERATORS = generators();

    private GeneratedInputs() {
    }

    private static Map<String, Gen<String>> generators() {
        Map<String, Gen<String>> generators = new LinkedHashMap<>();
        generators.put("request mutations", RequestMutations.ANY.map(m -> m.change() + "\n" + m.body()));
        generators.put("CloudTrail mutations", CloudTrailMutations.ANY.map(m -> m.change() + "\n" + m.body()));
        generators.put("near misses", NearMisses.MESSAGES);
        generators.put("valid requests", new ValidRequests(RequestParserPropertyTest.NOW).accessRequests()
                .map(AccessRequest::toJson));
        generators.put("valid bootstrap requests", new ValidRequests(RequestParserPropertyTest.NOW)
                .bootstrapRequests().map(BootstrapRequest::toJson));
        generators.put("request parser: any text", RequestParserPropertyTest.ANY_TEXT);
        generators.put("request parser: random objects", RequestParserPropertyTest.RANDOM_OBJECTS);
        generators.put("schema agreement: random objects", SchemaAgreementPropertyTest.RANDOM_OBJECTS);
        generators.put("near-miss instants", NearMisses.INSTANTS);
        generators.put("near-miss durations", NearMisses.DURATIONS);
        generators.put("hostile values", Hostile.ANY_VALUE.map(JsonText::write));
        generators.put("json reader: any text", JsonPropertyTest.TEXT);
        generators.put("invalid batches", GrantProcessingPropertyTest.INVALID_BATCH.map(String::valueOf));
        generators.put("cloudtrail parser: any bytes", CloudTrailEventParserPropertyTest.ANY_BYTES.map(GeneratedInputs::hex));
        generators.put("cloudtrail parser: random events",
                CloudTrailEventParserPropertyTest.RANDOM_EVENTS.map(GeneratedInputs::hex));
        generators.put("cluster-creation handler: any event",
                ClusterCreatedHandlerPropertyTest.ANY_EVENT.map(GeneratedInputs::hex));
        generators.put("creator resolver: user identities",
                CloudTrailEventParserPropertyTest.USER_IDENTITIES.map(JsonText::write));
        return generators;
    }

    /** Each generator's first {@code tries} inputs for {@code seed}, drawn as the properties draw them, digested. */
    static Map<String, String> digests(long seed, int tries) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Map.Entry<String, Gen<String>> generator : GENERATORS.entrySet()) {
            MessageDigest sha = sha256();
            SplittableRandom seeds = new SplittableRandom(seed);
            for (int i = 0; i < tries; i++) {
                sha.update(generator.getValue().next(seeds.split()).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            digests.put(generator.getKey(), HexFormat.of().formatHex(sha.digest()));
        }
        return digests;
    }

    /** Prints {@link #digests} for {@code SEED TRIES}, one {@code name=digest} line per generator. */
    public static void main(String[] args) {
        digests(Long.parseLong(args[0]), Integer.parseInt(args[1]))
                .forEach((name, digest) -> System.out.println(name + "=" + digest));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
