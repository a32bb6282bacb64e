package dev.eksaccess;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.eksaccess.testing.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the functions, read from the table in docs/architecture.md and checked against the compiled
 * classes, so the picture and the code cannot drift apart: a dependency the table does not allow, a package the
 * table does not name, or a cycle fails the build.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.eksaccess";

    /** The libraries the table may name, and the packages they stand for. The JDK is always allowed. */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "contract", List.of("dev.eksaccess.contract.."),
            "json", List.of("dev.eksaccess.json.."),
            "jackson-core", List.of("com.fasterxml.jackson.core.."),
            "AWS SDK", List.of("software.amazon.awssdk.."),
            "Lambda", List.of("com.amazonaws.services.lambda.runtime.."),
            "CRaC", List.of("org.crac.."),
            "snakeyaml-engine", List.of("org.snakeyaml.engine.."),
            "JDK TLS", List.of("javax.net.ssl.."));

    private static Map<String, List<String>> table;
    private static JavaClasses functions;

    @BeforeAll
    static void readTableAndClasses() {
        table = packageTable(RepoFiles.root().resolve("docs/architecture.md"));
        // The functions' own classes folder (or jar): scanning the whole test classpath would take seconds.
        functions = new ClassFileImporter().importPath(classesOf(dev.eksaccess.handler.GrantRequestHandler.class));
    }

    @Test
    void everyPackageOfTheFunctions_isInTheTable_andEveryRowIsAPackage() throws IOException {
        Path sources = RepoFiles.root().resolve("functions/src/main/java/dev/eksaccess");
        TreeSet<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(sources)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).forEach(packages::add);
        }

        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(packages);
    }

    @Test
    void eachPackage_usesOnlyWhatTheTableAllows() {
        List<ArchRule> rows = table.entrySet().stream().map(row -> rowRule(row.getKey(), row.getValue())).toList();

        CompositeArchRule.of(rows).check(functions);
    }

    @Test
    void thePackages_areFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(functions);
    }

    private static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule can fail: a row that forgets a dependency the code has is reported. */
    @Test
    void aRowMissingADependency_failsTheCheck() {
        List<String> engineWithoutEks = new ArrayList<>(table.get("engine"));
        engineWithoutEks.remove("`eks`");

        assertThatThrownBy(() -> rowRule("engine", engineWithoutEks).check(functions))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.eksaccess.engine.AccessEngine")
                .hasMessageContaining("dev.eksaccess.eks.");
    }

    private static ArchRule rowRule(String pkg, List<String> mayUse) {
        List<String> allowed = new ArrayList<>(List.of("java..", ROOT + "." + pkg + ".."));
        for (String item : mayUse) {
            if (item.startsWith("`")) {
                allowed.add(ROOT + "." + item.replace("`", "") + "..");
            } else {
                List<String> library = LIBRARIES.get(item);
                if (library == null) {
                    throw new IllegalStateException("docs/architecture.md: row `" + pkg + "` names '" + item
                            + "', which is neither a `package` nor one of " + LIBRARIES.keySet());
                }
                allowed.addAll(library);
            }
        }
        return classes().that().resideInAPackage(ROOT + "." + pkg + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                .because("docs/architecture.md says `" + pkg + "` may use only " + mayUse);
    }

    /** The rows of the table under "## Packages in `functions`": package name to its "may use" items. */
    static Map<String, List<String>> packageTable(Path doc) {
        String text;
        try {
            text = Files.readString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int section = text.indexOf("## Packages in `functions`");
        assertThat(section).as("section '## Packages in `functions`' in " + doc).isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)` \\|[^|]*\\| ([^|]+) \\|$").matcher(text);
        int next = text.indexOf("\n## ", section + 1);
        while (row.find(section) && (next < 0 || row.start() < next)) {
            List<String> items = Stream.of(row.group(2).split(",")).map(String::trim).toList();
            rows.put(row.group(1), items);
            section = row.end();
        }
        assertThat(rows).as("rows of the package table in " + doc).isNotEmpty();
        return rows;
    }
}
