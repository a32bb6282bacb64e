package dev.eksaccess.cdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What resolving SQS sender ids takes ({@code IamPrincipalIds} in the functions): {@code iam:GetRole} on each
 * configured role ARN and {@code iam:GetUser} on each configured user ARN, those ARNs exactly, nothing when there are
 * none. The grant processor's role needs it for the ARNs of its own account, the member accounts' role (spoke) for
 * theirs: IAM answers only for the caller's account.
 *
 * <p>A long list is split into several statements of at most {@link #MAX_ARN_CHARACTERS} characters of ARNs each. That
 * alone does not make a policy smaller, but CDK moves whole statements out of a role's inline policy (10,240
 * characters) into overflow managed policies (6,144 each), and it can only move statements that fit.
 */
public final class SenderResolutionPermissions {

    /** Characters of ARNs in one statement: a third of a managed policy, whatever the length of the ARNs. */
    static final int MAX_ARN_CHARACTERS = 2_000;

    private SenderResolutionPermissions() {
    }

    /**
     * @param sidPrefix names the statements: {@code <prefix>Roles1}, {@code <prefix>Roles2}…, {@code <prefix>Users1}…
     * @param arns      IAM role and user ARNs (roles with their path), as validated by synth
     */
    public static List<PolicyStatement> statements(String sidPrefix, Collection<String> arns) {
        List<String> roles = arns.stream().filter(arn -> arn.contains(":role/")).distinct().toList();
        List<String> users = arns.stream().filter(arn -> arn.contains(":user/")).distinct().toList();
        if (roles.size() + users.size() != arns.stream().distinct().count()) {
            throw new IllegalArgumentException("not IAM role or user ARNs: " + arns.stream()
                    .filter(arn -> !roles.contains(arn) && !users.contains(arn)).toList());
        }
        List<PolicyStatement> statements = new ArrayList<>();
        statements.addAll(chunked(sidPrefix + "Roles", "iam:GetRole", roles));
        statements.addAll(chunked(sidPrefix + "Users", "iam:GetUser", users));
        return statements;
    }

    private static List<PolicyStatement> chunked(String sid, String action, List<String> arns) {
        List<List<String>> chunks = chunks(arns);
        List<PolicyStatement> statements = new ArrayList<>();
        for (List<String> chunk : chunks) {
            statements.add(statement(sid + (statements.size() + 1), action, chunk));
        }
        return statements;
    }

    /**
     * {@code resources} in order, cut into runs of at most {@link #MAX_ARN_CHARACTERS} characters (a resource longer
     * than that is a run of its own), so that each statement built from a run fits a managed policy with room to spare.
     */
    static List<List<String>> chunks(List<String> resources) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int characters = 0;
        for (String resource : resources) {
            if (!chunk.isEmpty() && characters + resource.length() > MAX_ARN_CHARACTERS) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                characters = 0;
            }
            chunk.add(resource);
            characters += resource.length();
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    private static PolicyStatement statement(String sid, String action, List<String> arns) {
        return PolicyStatement.Builder.create().sid(sid).actions(List.of(action)).resources(List.copyOf(arns)).build();
    }
}
