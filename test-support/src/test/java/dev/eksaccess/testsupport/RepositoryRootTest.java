package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryRootTest {

    @TempDir
    Path temp;

    @Test
    void find_walksUpFromAModuleFolderToTheFolderHoldingEvents() throws IOException {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        Files.createDirectories(repo.resolve("events/requests"));
        Path module = Files.createDirectories(repo.resolve("functions/target"));

        assertThat(RepositoryRoot.find(module)).contains(repo);
        assertThat(RepositoryRoot.find(repo)).contains(repo);
    }

    @Test
    void find_outsideAnyRepository_isEmpty() throws IOException {
        assertThat(RepositoryRoot.find(Files.createDirectories(temp.resolve("elsewhere")))).isEmpty();
    }

    @Test
    void searchStart_isThePropertyWhenSet_elseTheWorkingDirectory() {
        Path workingDirectory = temp.resolve("module");

        assertThat(RepositoryRoot.searchStart(temp + "/repo/../repo", workingDirectory)).isEqualTo(temp.resolve("repo"));
        assertThat(RepositoryRoot.searchStart(null, workingDirectory)).isEqualTo(workingDirectory);
        assertThat(RepositoryRoot.searchStart(" ", workingDirectory)).isEqualTo(workingDirectory);
    }

    @Test
    void locate_inThisBuild_isTheCheckoutHoldingThisModule() {
        Path root = RepositoryRoot.locate();

        assertThat(root.resolve("test-support/pom.xml")).isRegularFile();
        assertThat(root.resolve("events/requests")).isDirectory();
    }
}
