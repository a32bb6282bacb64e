package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeToolingTest {

    @TempDir
    Path temp;

    private Path repo;
    private Path module;
    private String pathWithNode;

    @BeforeEach
    void givenARepositoryAndANodeExecutable() throws IOException {
        repo = Files.createDirectories(temp.resolve("repo"));
        Files.writeString(repo.resolve("package.json"), "{}");
        module = Files.createDirectories(repo.resolve("functions"));
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path node = Files.writeString(bin.resolve("node"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
        pathWithNode = temp.resolve("empty") + ":" + bin;
    }

    @Test
    void locate_walksUpFromTheModuleToTheRepositoryWithDynaliteInstalled() throws IOException {
        Path cli = installDynalite(repo);

        NodeTooling tooling = NodeTooling.locate(null, module, pathWithNode);

        assertThat(tooling.repositoryRoot()).isEqualTo(repo);
        assertThat(tooling.dynaliteCli()).isEqualTo(cli);
        assertThat(tooling.node()).isEqualTo(temp.resolve("bin").resolve("node"));
    }

    @Test
    void locate_skipsANestedPackageJsonWithoutDynalite() throws IOException {
        installDynalite(repo);
        Files.writeString(module.resolve("package.json"), "{}");

        assertThat(NodeTooling.locate(null, module, pathWithNode).repositoryRoot()).isEqualTo(repo);
    }

    @Test
    void locate_startsFromTheRepoRootPropertyWhenSet() throws IOException {
        installDynalite(repo);

        NodeTooling tooling = NodeTooling.locate(repo.toString(), temp, pathWithNode);

        assertThat(tooling.repositoryRoot()).isEqualTo(repo);
    }

    @Test
    void locate_withoutNpmCi_saysToRunItAtTheRepositoryRoot() {
        assertThatThrownBy(() -> NodeTooling.locate(null, module, pathWithNode))
                .isInstanceOf(EmulatorUnavailableException.class)
                .hasMessageContaining("dynalite (emulated DynamoDB) is not installed")
                .hasMessageContaining("Run `npm ci` in " + repo);
    }

    @Test
    void locate_withoutNodeOnPath_saysNodeIsMissingAndHowToInstall() throws IOException {
        installDynalite(repo);

        assertThatThrownBy(() -> NodeTooling.locate(null, module, temp.resolve("empty").toString()))
                .isInstanceOf(EmulatorUnavailableException.class)
                .hasMessageContaining("Node.js is not installed: no `node` executable on PATH")
                .hasMessageContaining("then run `npm ci` in " + repo);
    }

    @Test
    void locate_outsideAnyRepository_saysWhereItLooked() {
        Path elsewhere = temp.resolve("bin");

        assertThatThrownBy(() -> NodeTooling.locate(null, elsewhere, pathWithNode))
                .isInstanceOf(EmulatorUnavailableException.class)
                .hasMessageContaining("no package.json in " + elsewhere)
                .hasMessageContaining("-Deksaccess.repoRoot=");
    }

    private static Path installDynalite(Path root) throws IOException {
        Path cli = root.resolve("node_modules/dynalite/cli.js");
        Files.createDirectories(cli.getParent());
        return Files.writeString(cli, "// dynalite");
    }
}
