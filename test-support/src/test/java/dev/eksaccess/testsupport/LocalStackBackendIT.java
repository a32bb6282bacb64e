package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * LocalStack held to the same SQS and DynamoDB expectations as the local emulators. Without a Docker engine every
 * test is reported as skipped, with the reason, never as passed. The assumption sits in {@code @BeforeEach}
 * (which nested classes inherit) because Failsafe does not count tests under a class aborted in {@code @BeforeAll}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackBackendIT {

    private AwsBackend localStack;

    private static final String NO_DOCKER = "no Docker engine answered (checked DOCKER_HOST, the Docker socket, "
            + "~/.testcontainers.properties): LocalStack cannot run on this machine";

    @BeforeAll
    void startLocalStackWhereDockerRuns() {
        if (AwsBackends.dockerAvailable()) {
            localStack = AwsBackends.start(BackendChoice.LOCALSTACK);
        } else {
            // Failsafe's console lists skipped counts, not reasons; say it once where people look.
            System.out.println("[test-support] LocalStackBackendIT skipped: " + NO_DOCKER);
        }
    }

    @BeforeEach
    void skipWithoutDocker() {
        assumeTrue(localStack != null, NO_DOCKER);
    }

    @AfterAll
    void stopLocalStack() {
        if (localStack != null) {
            localStack.close();
        }
    }

    @Test
    void servesBothApisFromTheLocalStackContainer() {
        assertThat(localStack.kind()).isEqualTo(BackendKind.LOCALSTACK);
        assertThat(localStack.sqsEndpoint()).isEqualTo(localStack.dynamoDbEndpoint());
    }

    @Nested
    class Sqs extends SqsBehaviour {
        @Override
        protected AwsBackend backend() {
            return localStack;
        }
    }

    @Nested
    class DynamoDb extends DynamoDbBehaviour {
        @Override
        protected AwsBackend backend() {
            return localStack;
        }
    }
}
