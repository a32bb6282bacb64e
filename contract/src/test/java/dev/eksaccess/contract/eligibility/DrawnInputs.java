package dev.eksaccess.contract.eligibility;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * What the eligibility generators draw for one seed, as a digest per generator, printed by {@link #main} in a fresh
 * JVM for {@link EligibilitySeedReproducibilityTest} to compare: a printed seed reproduces a failure only if every
 * JVM draws the same inputs for it.
 */
public final class DrawnInputs {

    /** The generators, by name, each as text. */
    private static final List<Named> GENERATORS = List.of(
            new Named("valid documents", random -> JsonTree.write(ValidDocuments.document(random))),
            new Named("respelled documents", random -> JsonTree.rewrite(ValidDocuments.document(random), random)),
            new Named("broken documents", random -> BrokenDocuments.any(random).toString()),
            new Named("hostile texts", random -> String.valueOf(HostileTexts.any(random))),
            new Named("questions", random -> {
                EligibilityDocument document = EligibilityDocument.parse(JsonTree.write(ValidDocuments.document(random)));
                return Questions.aimed(random, document) + " " + Questions.any(random);
            }));

    private record Named(String name, Function<SplittableRandom, String> draw) {
    }

    private DrawnInputs() {
    }

    /** One line {@code name=digest} per generator, over its first {@code tries} inputs for {@code seed}. */
    static List<String> digests(long seed, int tries) {
        List<String> lines = new ArrayList<>();
        for (Named generator : GENERATORS) {
            MessageDigest digest = sha256();
            SplittableRandom sources = new SplittableRandom(seed);
            for (int i = 0; i < tries; i++) {
                digest.update(generator.draw().apply(sources.split()).getBytes(StandardCharsets.UTF_16BE));
                digest.update(new byte[] {0, 0});
            }
            lines.add(generator.name() + "=" + HexFormat.of().formatHex(digest.digest()));
        }
        return lines;
    }

    /** Prints {@link #digests} for the arguments SEED TRIES. */
    public static void main(String[] args) {
        digests(Long.parseLong(args[0]), Integer.parseInt(args[1])).forEach(System.out::println);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
