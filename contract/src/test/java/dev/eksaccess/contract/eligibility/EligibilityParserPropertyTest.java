package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNumber;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eligibility document's parser ({@link EligibilityDocument#parse}) on generated documents: every valid one is
 * read as written, the same every time; every document with something wrong is refused with an
 * {@link EligibilityDocumentException} naming the exact JSON path of what is wrong, also when a second thing is
 * wrong elsewhere; and no text at all makes it throw anything else.
 */
class EligibilityParserPropertyTest {

    @Test
    void everyValidDocument_isReadAsWritten_theSameEveryTime_howeverItIsSpelled() {
        Tries.run("eligibility parser: valid documents", Tries.count(), random -> {
            JsonValue tree = ValidDocuments.document(random);
            return new Spellings<>(tree, JsonTree.write(tree), JsonTree.rewrite(tree, random));
        }, input -> {
            EligibilityDocument parsed = EligibilityDocument.parse(input.compact());

            assertThat(EligibilityDocument.parse(input.compact())).isEqualTo(parsed);
            assertThat(EligibilityDocument.parse(input.respelled())).as("white space, field order, \\u escapes")
                    .isEqualTo(parsed);
            assertThat(parsed).isEqualTo(expected((JsonObject) input.input()));
            for (int i = 0; i < parsed.rules().size(); i++) {
                JsonValue tags = JsonTree.at(input.input(), JsonTree.place("rules", i, "clusters", "tags"));
                assertThat(List.copyOf(parsed.rules().get(i).clusters().tags().keySet()))
                        .as("tag selectors in document order (the first mismatch named in a refusal is the first in "
                                + "the document)")
                        .isEqualTo(tags == null ? List.of() : List.copyOf(((JsonObject) tags).fields().keySet()));
            }
        });
    }

    @Test
    void everyDocumentWithSomethingWrong_isRefused_namingTheExactPlace() {
        Tries.run("eligibility parser: one thing wrong", Tries.count(), random -> {
            BrokenDocuments broken = BrokenDocuments.any(random);
            return new Spellings<>(broken, JsonTree.write(broken.tree()),
                    Pick.chance(random, 30) ? JsonTree.rewrite(broken.tree(), random) : JsonTree.write(broken.tree()));
        }, input -> {
            BrokenDocuments broken = input.input();
            assertNamed(refusal(input.respelled()), broken);
        });
    }

    @Test
    void twoThingsWrongInDifferentPlaces_areBothNamed() {
        Tries.run("eligibility parser: two things wrong", Tries.count(), EligibilityParserPropertyTest::twoChanges,
                changes -> {
                    EligibilityDocumentException refusal = refusal(JsonTree.write(changes.get(1).tree()));
                    assertNamed(refusal, changes.get(0));
                    assertNamed(refusal, changes.get(1));
                });
    }

    @Test
    void anyText_isReadOrRefusedWithProblems_neverWithAnotherException() {
        Tries.run("eligibility parser: hostile text", Tries.count(), HostileTexts::any, hostile -> {
            Object outcome = outcome(hostile.text());
            if (outcome instanceof EligibilityDocument document) {
                assertThat(hostile.mustBeRefused()).as("accepted: " + document).isFalse();
                assertThat(EligibilityDocument.parse(hostile.text())).isEqualTo(document);
                return;
            }
            EligibilityDocumentException refusal = (EligibilityDocumentException) outcome;
            assertThat(refusal.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem)
                    .matches("(?s)(\\$.*|not JSON): \\S.*"));
        });
    }

    /** Jackson's limit on one string (20,000,000 characters) is a refusal like any other. */
    @Test
    void aStringPastTheReadersLimit_isRefusedAsNotJson() {
        String text = "{\"version\":1,\"rules\":[],\"$schema\":\"" + "x".repeat(20_000_001) + "\"}";

        assertThat(refusal(text).problems()).singleElement().asString().startsWith("not JSON: String value length");
    }

    // ---- what the properties check ----

    /** A generated input and two spellings of it. */
    record Spellings<T>(T input, String compact, String respelled) {

        @Override
        public String toString() {
            String text = compact.equals(respelled) ? compact : compact + "\nrespelled:\n" + respelled;
            return input instanceof BrokenDocuments broken ? broken.change() + " (expected at " + broken.names()
                    + ")\n" + text : text;
        }
    }

    /** The document {@code text} holds, or the parser's refusal; anything else thrown fails the property. */
    static Object outcome(String text) {
        try {
            return EligibilityDocument.parse(text);
        } catch (EligibilityDocumentException e) {
            return e;
        } catch (Throwable e) {
            throw new AssertionError("the parser threw " + e + " rather than an EligibilityDocumentException", e);
        }
    }

    static EligibilityDocumentException refusal(String text) {
        Object outcome = outcome(text);
        if (outcome instanceof EligibilityDocumentException refusal) {
            return refusal;
        }
        return fail("accepted: " + outcome);
    }

    /** The refusal has a problem at exactly each changed place: not one below or above it. */
    static void assertNamed(EligibilityDocumentException refusal, BrokenDocuments broken) {
        assertThat(refusal.problems().stream().map(EligibilityParserPropertyTest::placeOf).toList())
                .as("the places named by %s", refusal.problems())
                .containsAll(broken.names());
    }

    private static String placeOf(String problem) {
        int end = problem.indexOf(": ");
        return end < 0 ? problem : problem.substring(0, end);
    }

    /**
     * A document changed twice: the first change, then one more of the changed document whose places neither
     * touch the first's (so that neither hides the other's problem by design, as an invalid list item makes its
     * list's emptiness go unmentioned).
     */
    private static List<BrokenDocuments> twoChanges(SplittableRandom random) {
        while (true) {
            JsonValue document = BrokenDocuments.withARule(random, ValidDocuments.document(random));
            Optional<BrokenDocuments> first = BrokenDocuments.change(random, document);
            if (first.isEmpty()) {
                continue;
            }
            Optional<BrokenDocuments> second = BrokenDocuments.change(random, first.get().tree());
            if (second.isPresent() && apart(first.get(), second.get())) {
                return List.of(first.get(), second.get());
            }
        }
    }

    private static boolean apart(BrokenDocuments one, BrokenDocuments other) {
        for (List<Object> a : one.touches()) {
            for (List<Object> b : other.touches()) {
                if (JsonTree.within(a, b) || JsonTree.within(b, a)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- the document a valid tree describes, built without the parser ----

    static EligibilityDocument expected(JsonObject document) {
        List<EligibilityRule> rules = new ArrayList<>();
        for (JsonValue rule : ((JsonArray) document.get("rules")).items()) {
            rules.add(expectedRule((JsonObject) rule));
        }
        return new EligibilityDocument(1, rules);
    }

    private static EligibilityRule expectedRule(JsonObject rule) {
        JsonObject clusters = (JsonObject) rule.get("clusters");
        JsonObject principals = (JsonObject) rule.get("principals");
        JsonObject scopes = (JsonObject) rule.get("scopes");
        Map<String, List<String>> tags = new LinkedHashMap<>();
        if (clusters.get("tags") instanceof JsonObject tagObject) {
            tagObject.fields().forEach((key, values) -> tags.put(key, strings(values)));
        }
        Optional<EligibilityRule.Approval> approval = Optional.empty();
        if (rule.get("approval") instanceof JsonObject object) {
            approval = Optional.of(new EligibilityRule.Approval(strings(object.get("approvers")),
                    object.get("count") instanceof JsonNumber count ? count.value().intValue() : 1,
                    object.get("timeout") instanceof JsonString timeout ? Duration.parse(timeout.value())
                            : Duration.ofHours(24)));
        }
        return new EligibilityRule(((JsonString) rule.get("id")).value(),
                rule.get("description") instanceof JsonString description ? description.value() : "",
                strings(rule.get("senders")),
                new EligibilityRule.Clusters(strings(clusters.get("names")), strings(clusters.get("arns")),
                        strings(clusters.get("accounts")), strings(clusters.get("regions")), tags),
                new EligibilityRule.Principals(flag(principals.get("self")), strings(principals.get("arns")),
                        strings(principals.get("patterns"))),
                strings(rule.get("policies")).stream().map(p -> AccessPolicies.shortNameOf(p).orElseThrow()).toList(),
                new EligibilityRule.Scopes(flag(scopes.get("cluster")), strings(scopes.get("namespaces"))),
                strings(rule.get("kubernetesGroups")), strings(rule.get("usernames")),
                rule.get("maxDuration") instanceof JsonString max ? Optional.of(Duration.parse(max.value()))
                        : Optional.empty(),
                approval, flag(rule.get("breakGlass")), Optional.empty(), false, flag(rule.get("recovery")));
    }

    private static List<String> strings(JsonValue value) {
        return value instanceof JsonArray array
                ? array.items().stream().map(item -> ((JsonString) item).value()).toList() : List.of();
    }

    private static boolean flag(JsonValue value) {
        return value instanceof JsonBoolean bool && bool.value();
    }
}
