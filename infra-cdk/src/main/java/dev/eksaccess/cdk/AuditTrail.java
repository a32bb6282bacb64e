package dev.eksaccess.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudtrail.ReadWriteType;
import software.amazon.awscdk.services.cloudtrail.Trail;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * A CloudTrail trail of management events. EventBridge only sees {@code AWS API Call via CloudTrail} events when
 * a trail logs in the account, so a deployment without an existing (e.g. organization) trail needs this one.
 * Its bucket is private, encrypted, TLS-only and versioned, with server access logs in a second bucket.
 */
public final class AuditTrail extends Construct {

    private final Trail trail;
    private final Bucket bucket;
    private final Bucket accessLogs;

    public AuditTrail(Construct scope, String id) {
        super(scope, id);
        this.accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.bucket = Bucket.Builder.create(this, "Logs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("trail-bucket/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .transitions(List.of(Transition.builder()
                                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                .transitionAfter(Duration.days(90)).build()))
                        .noncurrentVersionExpiration(Duration.days(90))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.trail = Trail.Builder.create(this, "Trail")
                .bucket(bucket)
                .managementEvents(ReadWriteType.ALL)
                .includeGlobalServiceEvents(true)
                .isMultiRegionTrail(true)
                .enableFileValidation(true)
                .build();
    }

    public Trail trail() {
        return trail;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }
}
