package dev.eksaccess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The threat tables of {@code docs/threat-model.md} and {@code docs/authorization.md} name, in their "test" column, the
 * tests that prove each row. Read from the documents and checked against the test sources of every module, so that a
 * renamed, moved or mistyped test cannot leave a row claiming a proof that no longer exists: a row whose test cell
 * names no test, or names a class or method that is not there, fails with the row and the name.
 *
 * <p>A name is written in backticks, in one of three forms: {@code Class.method}; {@code Class} alone; {@code …method},
 * where {@code …} (U+2026) stands for the previous name in the same cell up to some point: at least its class, as in
 * {@code Class.first}, {@code …second}, or a leading part of its method, as in {@code Class.sender_asksForX},
 * {@code …_asksForY} for {@code Class.sender_asksForY}. Prose outside backticks is ignored. A method counts when the
 * class or one of the types it extends or implements (found in the test sources too) declares it.
 */
class ThreatTablesTest {

    static final List<String> DOCUMENTS = List.of("docs/threat-model.md", "docs/authorization.md");

    private static final Path ROOT = RepositoryRoot.locate();

    @Test
    void everyRowOfTheThreatTables_namesTestsThatExist() throws IOException {
        TestSources sources = TestSources.scan(ROOT);
        List<String> problems = new ArrayList<>();
        for (String document : DOCUMENTS) {
            List<Row> rows = Row.read(document, Files.readString(ROOT.resolve(document)));
            assertThat(rows).as("rows with a test column in " + document).hasSizeGreaterThan(10);
            rows.forEach(row -> problems.addAll(row.problems(sources)));
        }

        assertThat(problems).as("threat-table rows whose tests do not exist").isEmpty();
    }

    // ------------------------------------------------------------------ the reading itself, on small documents

    private static final TestSources SOURCES = TestSources.of(Map.of(
            "AccessEngineTest", """
                    class AccessEngineTest {
                        @Test
                        void revoke_refusesToRemoveTheLastClusterAdmin() {
                        }

                        @Test void grant_refusesToNarrow() { revoke_refusesToRemoveTheLastClusterAdmin(); }
                    }
                    """,
            "AuthorizationIT", """
                    class AuthorizationIT {
                        @Test
                        void eligibleSender_asksForAPolicyOutsideItsRules_isRejected() {
                        }

                        @Test
                        void eligibleSender_asksForAClusterOutsideItsRules_isRejected() {
                        }

                        @Test
                        void selfApproval_isNotCounted() {
                            return helper();
                        }
                    }
                    """,
            "FakeEksBehaviourTest", "class FakeEksBehaviourTest implements EksAccessBehaviour {\n}\n",
            "EksAccessBehaviour", "interface EksAccessBehaviour {\n    @Test\n    default void grant_creates() {\n    }\n}\n"));

    private static List<String> problemsOf(String table) {
        List<Row> rows = Row.read("docs/x.md", "# X\n\n" + table);
        assertThat(rows).isNotEmpty();
        return rows.stream().flatMap(row -> row.problems(SOURCES).stream()).toList();
    }

    @Test
    void existingNames_inEveryForm_passStraight() {
        assertThat(problemsOf("""
                | attack | defence | test |
                |---|---|---|
                | revoke the last admin | refused | `AccessEngineTest.revoke_refusesToRemoveTheLastClusterAdmin`; `AuthorizationIT` |
                | ask for more | default deny | `AuthorizationIT.eligibleSender_asksForAPolicyOutsideItsRules_isRejected`, `…_asksForAClusterOutsideItsRules_isRejected`, `…selfApproval_isNotCounted` and prose |
                | inherited | both | `FakeEksBehaviourTest.grant_creates` (a default method of its interface) |
                """)).isEmpty();
    }

    @Test
    void aMethodThatDoesNotExist_isNamedWithItsDocumentLineAndRow() {
        assertThat(problemsOf("""
                | attack | test |
                |---|---|
                | revoke the last admin | `AccessEngineTest.revoke_refusesToRemoveTheLastClusterAdmins` |
                """)).containsExactly("docs/x.md:5, row 'revoke the last admin': no test method "
                + "AccessEngineTest.revoke_refusesToRemoveTheLastClusterAdmins");
    }

    @Test
    void aCallOfTheMethod_orAMethodOfAnotherClass_doesNotCount() {
        assertThat(problemsOf("""
                | attack | test |
                |---|---|
                | helper | `AuthorizationIT.helper`, `AccessEngineTest.selfApproval_isNotCounted` |
                """)).containsExactly("docs/x.md:5, row 'helper': no test method AuthorizationIT.helper",
                "docs/x.md:5, row 'helper': no test method AccessEngineTest.selfApproval_isNotCounted");
    }

    @Test
    void aClassThatDoesNotExist_isNamed() {
        assertThat(problemsOf("""
                | attack | test |
                |---|---|
                | forged events | `ClusterCreatedHandlerIT.forged`, `…replayed`; `KmsKeyTemplateTest` |
                """)).containsExactly(
                "docs/x.md:5, row 'forged events': no test class ClusterCreatedHandlerIT in any module's src/test/java",
                "docs/x.md:5, row 'forged events': no test class ClusterCreatedHandlerIT in any module's src/test/java",
                "docs/x.md:5, row 'forged events': no test class KmsKeyTemplateTest in any module's src/test/java");
    }

    @Test
    void aRowWithoutATestName_isNamed_whateverItsProse() {
        assertThat(problemsOf("""
                | attack | defence | test |
                |---|---|---|
                | replay an approval | duplicates | storm accounting |
                | purge the queue | deny |
                """)).containsExactly("docs/x.md:5, row 'replay an approval': the test cell names no test",
                "docs/x.md:6, row 'purge the queue': the test cell names no test");
    }

    @Test
    void otherForms_areRefused_sayingWhichAreRead() {
        assertThat(problemsOf("""
                | attack | test |
                |---|---|
                | forms | `AuthorizationIT#selfApproval_isNotCounted`, `...selfApproval_isNotCounted`, `…selfApproval_isNotCounted` |
                """)).containsExactly(
                "docs/x.md:5, row 'forms': `AuthorizationIT#selfApproval_isNotCounted` is not a test name: write "
                        + "`Class.method`, `Class`, or `…method` after another name in the cell",
                "docs/x.md:5, row 'forms': `...selfApproval_isNotCounted` is not a test name: write "
                        + "`Class.method`, `Class`, or `…method` after another name in the cell",
                "docs/x.md:5, row 'forms': `…selfApproval_isNotCounted` follows no name in its cell");
    }

    @Test
    void tablesWithoutATestColumn_andTextAround_areNotRead() {
        List<Row> rows = Row.read("docs/x.md", """
                | setting | default |
                |---|---|
                | tries | 1,000 |

                Some text with a | pipe.

                | attack | test |
                |---|---|
                | one | `AuthorizationIT` |
                """);

        assertThat(rows).extracting(Row::label).containsExactly("one");
    }

    // ------------------------------------------------------------------ model

    /** One row of a table with a "test" column: where it is, its first cell, and its test cell. */
    record Row(String document, int line, String label, String testCell) {

        private static final Pattern SEPARATOR = Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");
        private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");
        private static final Pattern CLASS = Pattern.compile("[A-Z][\\w$]*");
        private static final Pattern CLASS_AND_METHOD = Pattern.compile("([A-Z][\\w$]*)\\.([A-Za-z_$][\\w$]*)");
        private static final Pattern AFTER_ELLIPSIS = Pattern.compile("…([A-Za-z_$][\\w$]*)");

        /** The rows of every table whose header has a cell "test", in document order. */
        static List<Row> read(String document, String markdown) {
            List<String> lines = markdown.lines().toList();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (!lines.get(i).trim().startsWith("|") || !SEPARATOR.matcher(lines.get(i + 1).trim()).matches()) {
                    continue;
                }
                int testColumn = cells(lines.get(i)).stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList()
                        .indexOf("test");
                int next = i + 2;
                for (; next < lines.size() && lines.get(next).trim().startsWith("|"); next++) {
                    if (testColumn >= 0) {
                        List<String> cells = cells(lines.get(next));
                        rows.add(new Row(document, next + 1, cells.getFirst().trim(),
                                testColumn < cells.size() ? cells.get(testColumn) : ""));
                    }
                }
                i = next - 1;
            }
            return rows;
        }

        private static List<String> cells(String line) {
            String inner = line.trim().replaceFirst("^\\|", "").replaceFirst("(?<!\\\\)\\|$", "");
            return List.of(inner.split("(?<!\\\\)\\|", -1));
        }

        /** What is wrong with this row's test cell, each naming the row; empty when every name exists. */
        List<String> problems(TestSources sources) {
            List<String> problems = new ArrayList<>();
            Matcher names = BACKTICKED.matcher(testCell);
            String previousClass = null;
            String previousMethod = null;
            boolean any = false;
            while (names.find()) {
                any = true;
                String name = names.group(1).trim();
                Matcher both = CLASS_AND_METHOD.matcher(name);
                Matcher ellipsis = AFTER_ELLIPSIS.matcher(name);
                if (CLASS.matcher(name).matches()) {
                    previousClass = name;
                    previousMethod = null;
                    if (!sources.hasClass(name)) {
                        problems.add(where() + noClass(name));
                    }
                } else if (both.matches()) {
                    previousClass = both.group(1);
                    previousMethod = both.group(2);
                    problems.addAll(check(sources, previousClass, List.of(previousMethod), name));
                } else if (ellipsis.matches()) {
                    if (previousClass == null) {
                        problems.add(where() + "`" + name + "` follows no name in its cell");
                        continue;
                    }
                    // "…" is the previous name up to some point: its class, or a leading part of its method.
                    List<String> candidates = new ArrayList<>();
                    String prefix = previousMethod == null ? "" : previousMethod;
                    for (int end = 0; end <= prefix.length(); end++) {
                        candidates.add(prefix.substring(0, end) + ellipsis.group(1));
                    }
                    String className = previousClass;
                    previousMethod = candidates.stream().filter(m -> sources.hasMethod(className, m)).findFirst()
                            .orElse(ellipsis.group(1));
                    problems.addAll(check(sources, previousClass, candidates, previousClass + "." + name));
                } else {
                    problems.add(where() + "`" + name + "` is not a test name: write `Class.method`, `Class`, or "
                            + "`…method` after another name in the cell");
                }
            }
            if (!any) {
                problems.add(where() + "the test cell names no test");
            }
            return problems;
        }

        /** Problems unless {@code className} exists and declares one of {@code methods}; {@code written} as in the cell. */
        private List<String> check(TestSources sources, String className, List<String> methods, String written) {
            if (!sources.hasClass(className)) {
                return List.of(where() + noClass(className));
            }
            if (methods.stream().noneMatch(method -> sources.hasMethod(className, method))) {
                return List.of(where() + "no test method " + written);
            }
            return List.of();
        }

        private static String noClass(String className) {
            return "no test class " + className + " in any module's src/test/java";
        }

        private String where() {
            return document + ":" + line + ", row '" + label + "': ";
        }
    }

    /** The test sources of the repository: each top-level type's source, by its simple name. */
    record TestSources(Map<String, List<String>> sourcesByClass) {

        private static final Set<String> SKIPPED = Set.of(".git", "node_modules", "target", "cdk.out");
        private static final Pattern GENERICS = Pattern.compile("<[^<>]*>");
        private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z][\\w$]*\\b");
        private static final Pattern SUPERTYPE_KEYWORD = Pattern.compile("\\b(?:extends|implements)\\b");

        /** Every {@code .java} file below a {@code src/test/java} folder of any module under {@code root}. */
        static TestSources scan(Path root) throws IOException {
            Map<String, List<String>> sources = new LinkedHashMap<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".java") && root.relativize(file).toString().replace('\\', '/')
                            .contains("src/test/java/")) {
                        try {
                            sources.computeIfAbsent(name.substring(0, name.length() - ".java".length()),
                                    k -> new ArrayList<>()).add(Files.readString(file));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            return new TestSources(sources);
        }

        static TestSources of(Map<String, String> sourceByClass) {
            Map<String, List<String>> sources = new LinkedHashMap<>();
            sourceByClass.forEach((name, source) -> sources.put(name, List.of(source)));
            return new TestSources(sources);
        }

        boolean hasClass(String className) {
            return sourcesByClass.containsKey(className);
        }

        /** Whether the class, or a type it extends or implements, declares a method of that name. */
        boolean hasMethod(String className, String method) {
            return declares(className, method, new HashSet<>());
        }

        private boolean declares(String className, String method, Set<String> seen) {
            if (!seen.add(className)) {
                return false;
            }
            Pattern declaration = Pattern.compile("(?m)^[ \\t]*(?!return\\b|new\\b|throw\\b|else\\b)"
                    + "(?:[\\w.$<>\\[\\],?@]+[ \\t]+)+" + Pattern.quote(method) + "[ \\t]*\\(");
            for (String source : sourcesByClass.getOrDefault(className, List.of())) {
                if (declaration.matcher(source).find()) {
                    return true;
                }
                for (String supertype : supertypes(className, source)) {
                    if (declares(supertype, method, seen)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The types named after {@code extends} or {@code implements} in the class's declaration. */
        private static List<String> supertypes(String className, String source) {
            Matcher header = Pattern.compile("\\b(?:class|interface|record|enum)\\s+" + Pattern.quote(className)
                    + "\\b([^{]*)\\{").matcher(source);
            if (!header.find()) {
                return List.of();
            }
            String clause = header.group(1);
            for (String before = null; !clause.equals(before); ) {
                before = clause;
                clause = GENERICS.matcher(clause).replaceAll("");
            }
            Matcher keyword = SUPERTYPE_KEYWORD.matcher(clause);
            if (!keyword.find()) {
                return List.of();
            }
            return TYPE_NAME.matcher(clause.substring(keyword.end())).results().map(MatchResult::group).toList();
        }
    }
}
