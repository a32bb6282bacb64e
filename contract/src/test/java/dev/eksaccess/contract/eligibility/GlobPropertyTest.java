package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Glob}, which every cluster, principal, namespace and username pattern of the eligibility document goes
 * through: it agrees with a plain matcher of our own, also on texts as long as the longest principal ARN (1,024
 * characters) against patterns of many stars, in little time; and {@link Glob#covers} never lets a requested
 * namespace pattern reach a name the allowed one does not match.
 */
class GlobPropertyTest {

    private static final String ALPHABET = "ab-:/*";

    /** A pattern and a text. */
    record Pair(String pattern, String text) {
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void matches_agreesWithAPlainMatcher_evenOnLongTextsAndManyStars() {
        Tries.run("glob: matches", Tries.count(), GlobPropertyTest::pair,
                pair -> assertThat(Glob.matches(pair.pattern(), pair.text()))
                        .isEqualTo(Wildcards.matches(pair.pattern(), pair.text())));
    }

    @Test
    void covers_onlyWhenEveryNameTheRequestedPatternReaches_isAllowed() {
        Tries.run("glob: covers", Tries.count(), random -> new Pair(
                Pick.chance(random, 50) ? Pick.one(random, ValidDocuments.NAMESPACE_PATTERNS)
                        : Pick.text(random, "ab-*", 1, 6),
                Pick.chance(random, 50) ? Pick.one(random, Questions.NAMESPACES) : Pick.text(random, "ab-*", 1, 6)),
                pair -> {
                    if (!Glob.covers(pair.pattern(), pair.text())) {
                        return;
                    }
                    SplittableRandom instances = new SplittableRandom(pair.hashCode());
                    for (int i = 0; i < 20; i++) {
                        String name = Pick.instance(instances, pair.text(), "ab-");
                        assertThat(Wildcards.matches(pair.pattern(), name)).as("%s reaches %s", pair.text(), name)
                                .isTrue();
                    }
                });
    }

    /** Short patterns and texts over a small alphabet (so that they match often), or long texts and many stars. */
    private static Pair pair(SplittableRandom random) {
        if (Pick.chance(random, 80)) {
            String pattern = Pick.text(random, ALPHABET, 0, 8);
            return new Pair(pattern, Pick.chance(random, 50) ? Pick.instance(random, pattern, ALPHABET)
                    : Pick.text(random, ALPHABET, 0, 10));
        }
        String prefix = "arn:aws:iam::111122223333:role/";
        String separator = Pick.one(random, List.of("-", "/", "a"));
        String pattern = prefix + ("*" + separator).repeat(random.nextInt(2, 8)) + Pick.one(random, List.of("x", "", "*"));
        String text = prefix + separator.repeat(random.nextInt(100, 1024 - prefix.length()))
                + Pick.one(random, List.of("", "x", "y"));
        return new Pair(pattern, text);
    }
}
