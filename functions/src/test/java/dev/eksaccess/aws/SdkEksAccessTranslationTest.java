package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.EksInvalidRequestException;
import dev.eksaccess.eks.EksLimitExceededException;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.eks.EksResourceInUseException;
import dev.eksaccess.eks.EksTransientException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eks.model.AccessDeniedException;
import software.amazon.awssdk.services.eks.model.EksException;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.InvalidRequestException;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.ServerException;

class SdkEksAccessTranslationTest {

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
    }

    @Test
    void everySdkFailureMode_becomesItsPortException() {
        assertThat(SdkEksAccess.translate(ResourceInUseException.builder().statusCode(409)
                .awsErrorDetails(details("ResourceInUseException", "in use")).build()))
                .isInstanceOf(EksResourceInUseException.class).hasMessage("ResourceInUseException: in use");
        assertThat(SdkEksAccess.translate(ResourceNotFoundException.builder().statusCode(404).build()))
                .isInstanceOf(EksNotFoundException.class);
        assertThat(SdkEksAccess.translate(InvalidParameterException.builder().statusCode(400).build()))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(SdkEksAccess.translate(InvalidRequestException.builder().statusCode(400).build()))
                .isInstanceOf(EksInvalidRequestException.class);
        assertThat(SdkEksAccess.translate(ResourceLimitExceededException.builder().statusCode(400).build()))
                .isInstanceOf(EksLimitExceededException.class);
        assertThat(SdkEksAccess.translate(AccessDeniedException.builder().statusCode(403).build()))
                .isInstanceOf(EksAccessDeniedException.class);
    }

    @Test
    void stsDenyingTheAssumeRole_isAccessDenied_whetherOrNotTheSdkWrapsIt_soItIsRejectedAtOnce() {
        software.amazon.awssdk.services.sts.model.StsException sts =
                (software.amazon.awssdk.services.sts.model.StsException) software.amazon.awssdk.services.sts.model
                        .StsException.builder().statusCode(403).awsErrorDetails(details("AccessDenied",
                                "User: arn:aws:sts::111122223333:assumed-role/grant-processor/x is not authorized to "
                                        + "perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/eks-access"))
                        .build();

        assertThat(SdkEksAccess.translate(sts)).isInstanceOf(EksAccessDeniedException.class)
                .hasMessageContaining("sts:AssumeRole");
        RuntimeException wrapped = SdkEksAccess.translate(SdkClientException.builder()
                .message("Unable to load credentials from any of the providers").cause(sts).build());
        assertThat(wrapped).isInstanceOf(EksAccessDeniedException.class)
                .hasMessageStartingWith("credentials for the call could not be obtained: AccessDenied:");
        assertThat(((EksAccessDeniedException) wrapped).retryable()).isFalse();
        // STS throttled or unreachable while refreshing credentials: still worth a retry
        assertThat(SdkEksAccess.translate(SdkClientException.builder().message("Unable to load credentials")
                .cause(software.amazon.awssdk.services.sts.model.StsException.builder().statusCode(400)
                        .awsErrorDetails(details("Throttling", "Rate exceeded")).build()).build()))
                .isInstanceOf(EksTransientException.class);
    }

    @Test
    void throttling5xxAndNetworkFailures_areTransient() {
        assertThat(SdkEksAccess.translate(EksException.builder().statusCode(400)
                .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build()))
                .isInstanceOf(EksTransientException.class);
        assertThat(SdkEksAccess.translate(EksException.builder().statusCode(429).build()))
                .isInstanceOf(EksTransientException.class);
        assertThat(SdkEksAccess.translate(ServerException.builder().statusCode(500).build()))
                .isInstanceOf(EksTransientException.class);
        assertThat(SdkEksAccess.translate(EksException.builder().statusCode(503).build()))
                .isInstanceOf(EksTransientException.class);
        assertThat(SdkEksAccess.translate(SdkClientException.create("connection reset")))
                .isInstanceOf(EksTransientException.class);
    }

    @Test
    void otherClientErrors_areNotRetried() {
        assertThat(SdkEksAccess.translate(EksException.builder().statusCode(400)
                .awsErrorDetails(details("BadRequestException", "bad")).build()))
                .isInstanceOf(EksInvalidParameterException.class);
    }
}
