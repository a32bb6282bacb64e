package dev.eksaccess.testsupport;

/** The backend actually started, once {@link BackendChoice#AUTO} is settled. */
public enum BackendKind {
    /** ElasticMQ (SQS) in this JVM and dynalite (DynamoDB) as a Node.js process. */
    LOCAL,
    /** LocalStack in a container. */
    LOCALSTACK
}
