package dev.eksaccess.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the app the way the CDK CLI does (cdk.json's feature flags as context) with a small stand-in for
 * the functions jar, once per configuration and JVM: jsii's start-up is the slow part of these tests.
 */
final class TestApps {

    static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform/PlatformAdmin";
    static final String VIEWER_ROLE = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_View_0123456789abcdef";
    static final String SENDER_ROLE = "arn:aws:iam::444455556666:role/team-portal";
    static final String SENDER_ACCOUNT = "777788889999";
    static final String HUB_ACCOUNT = "111122223333";
    static final String HUB_ROLE = "arn:aws:iam::111122223333:role/EksAccess-GrantProcessorRole";
    static final String HUB_CREATION_ROLE = "arn:aws:iam::111122223333:role/EksAccess-ClusterCreatedRole";
    static final String HUB_ACCESS_CHANGES_ROLE = "arn:aws:iam::111122223333:role/EksAccess-AccessChangesRole";
    static final String MEMBER_ACCOUNT = "222233334444";
    static final String EXTERNAL_ID = "eks-access-hub-111122223333";

    /** The documented eligibility example, relative to infra-cdk/ as a deployer's context would give it. */
    static final String ELIGIBILITY = "../events/eligibility/example.json";

    /** The document {@link #ELIGIBILITY} names, parsed. */
    static EligibilityDocument eligibilityDocument() {
        try {
            return EligibilityDocument.parse(Files.readString(Path.of(ELIGIBILITY)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything configured: admins, senders, mode switch, cross-account, e-mail, spoke, eligibility document. */
    static final Synthesized FULL = synthesize(fullContext());
    private static Synthesized minimal;

    private TestApps() {
    }

    static Map<String, Object> fullContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("adminPrincipals", List.of(
                Map.of("principalArn", ADMIN_ROLE),
                VIEWER_ROLE + "=AmazonEKSAdminViewPolicy"));
        context.put("allowedPolicies", List.of("AmazonEKSViewPolicy", "AmazonEKSEditPolicy"));
        context.put("senderPrincipals", List.of(SENDER_ROLE, SENDER_ACCOUNT));
        context.put("allowAuthModeSwitch", true);
        context.put("creatorAdmin", "true");
        context.put("alarmEmail", "platform-oncall@example.com");
        context.put("crossAccountRoleName", "eks-access/HubAccess");
        context.put("maxGrantDuration", "PT12H");
        context.put("memberAccounts", List.of(MEMBER_ACCOUNT));
        context.put("crossAccountExternalId", EXTERNAL_ID);
        context.put("hubAccount", HUB_ACCOUNT);
        context.put("hubRoleArn", HUB_ROLE);
        context.put("hubClusterCreationRoleArn", HUB_CREATION_ROLE);
        context.put("hubAccessChangesRoleArn", HUB_ACCESS_CHANGES_ROLE);
        context.put("xrayTracing", true);
        context.put("eligibility", ELIGIBILITY);
        context.put("adoptionRegions", List.of("eu-west-1", "us-east-2"));
        return context;
    }

    static final String PROD_CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";
    static final String STAGING_CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/staging";

    /** Defaults but for an existing trail and a fixed list of clusters. */
    static synchronized Synthesized minimal() {
        if (minimal == null) {
            minimal = synthesize(Map.of("existingTrail", true, "clusterArns", PROD_CLUSTER + "," + STAGING_CLUSTER));
        }
        return minimal;
    }

    /** The app and its templates. */
    record Synthesized(EksAccessApp.Stacks stacks, Template hub, Template spoke) {
    }

    static Synthesized synthesize(Map<String, Object> context) {
        App app = app(context);
        EksAccessApp.Stacks stacks = EksAccessApp.build(app);
        return new Synthesized(stacks, Template.fromStack(stacks.hub()),
                stacks.spoke().map(Template::fromStack).orElse(null));
    }

    static App app(Map<String, Object> context) {
        Map<String, Object> all = new LinkedHashMap<>(cdkJsonContext());
        all.put("functionsJar", fakeFunctionsJar().toString());
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    /** A few bytes standing in for the shaded jar: synth only hashes and stages it. */
    static synchronized Path fakeFunctionsJar() {
        try {
            Path jar = Path.of(System.getProperty("java.io.tmpdir"), "eks-access-cdk-test", "functions-lambda.jar");
            Files.createDirectories(jar.getParent());
            if (!Files.exists(jar)) {
                Files.writeString(jar, "stand-in for the functions jar");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feature flags the CLI passes from cdk.json, so tests synthesize what `cdk deploy` deploys. */
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(),
                    new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) cdkJson.getOrDefault("context", Map.of());
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
