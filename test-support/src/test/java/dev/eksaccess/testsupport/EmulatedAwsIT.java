package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend {@link EmulatedAws} injects: the one {@code -Deksaccess.aws} selects (this module's build pins
 * {@code local}, so ElasticMQ and dynalite), held to the SQS and DynamoDB expectations the functions rely on.
 */
@ExtendWith(EmulatedAws.class)
class EmulatedAwsIT {

    private final AwsBackend backend;

    EmulatedAwsIT(AwsBackend backend) {
        this.backend = backend;
    }

    @Test
    void injectsTheBackendTheSystemPropertySelects() {
        BackendKind selected = BackendChoice.fromSystemProperty().resolve(AwsBackends::dockerAvailable);

        assertThat(backend.kind()).isEqualTo(selected);
    }

    @Test
    void sdkEnvironment_pointsClientsBuiltFromTheEnvironmentAtTheEmulators() {
        assertThat(backend.sdkEnvironment())
                .containsEntry("AWS_ENDPOINT_URL_SQS", backend.sqsEndpoint().toString())
                .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", backend.dynamoDbEndpoint().toString())
                .containsEntry("AWS_REGION", "us-east-1")
                .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Nested
    class Sqs extends SqsBehaviour {
        @Override
        protected AwsBackend backend() {
            return backend;
        }

        @Test
        void sharesOneBackendAcrossTestClasses(AwsBackend injectedHere) {
            assertThat(injectedHere).isSameAs(backend);
        }
    }

    @Nested
    class DynamoDb extends DynamoDbBehaviour {
        @Override
        protected AwsBackend backend() {
            return backend;
        }
    }
}
