package dev.eksaccess.awsauth;

import dev.eksaccess.awsauth.PlannedEntry.Type;
import dev.eksaccess.awsauth.PlannedMapping.Verdict;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.IamPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the move of aws-auth mappings to access entries: the one definition of how each mapping translates
 * (docs/migration.md has the table). Pure: IAM is reached only through {@link RoleDirectory}.
 *
 * <p>Two principles: a mapping that grants nothing today (aws-iam-authenticator never matches it) never becomes an
 * entry, because that would give access no one has; and anything an entry cannot express exactly is "not migratable"
 * with the reason, never approximated.
 */
public final class MigrationPlanner {

    static final String MASTERS = "system:masters";
    static final String BOOTSTRAPPERS = "system:bootstrappers";
    static final String NODES = "system:nodes";
    static final String NODE_PROXIER = "system:node-proxier";
    static final String WINDOWS_PROXY = "eks:kube-proxy-windows";
    static final String EC2_NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}";
    static final String SESSION_NAME = "{{SessionName}}";

    /** Prefixes EKS refuses in an access entry's username. */
    static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");

    private static final Pattern ROLE = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/(.+)");
    private static final Pattern USER = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):user/(.+)");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{[^}]*}}");

    private final RoleDirectory roles;

    public MigrationPlanner(RoleDirectory roles) {
        this.roles = roles;
    }

    /** The plan for every mapping of {@code awsAuth}, in its order. */
    public MigrationPlan plan(AwsAuth awsAuth) {
        Map<String, Mapping> last = new HashMap<>();
        for (Mapping mapping : awsAuth.mappings()) {
            last.put(identityKey(mapping), mapping);
        }
        List<PlannedMapping> planned = new ArrayList<>();
        for (Mapping mapping : awsAuth.mappings()) {
            Mapping winner = last.get(identityKey(mapping));
            planned.add(winner == mapping ? plan(mapping) : notMigratable(mapping, "superseded by " + winner.source()
                    + ", which maps the same ARN: aws-iam-authenticator keeps only the last mapping of an ARN, so "
                    + "this one grants nothing today"));
        }
        for (AwsAuth.MappedAccount account : awsAuth.accounts()) {
            planned.add(new PlannedMapping(account.source().toString(), account.accountId(), Optional.empty(),
                    List.of(), Verdict.NOT_MIGRATABLE, Optional.empty(), "mapAccounts lets every IAM user and role "
                    + "of account " + account.accountId() + " in, named by its ARN, with no group; access entries "
                    + "are per principal, so create an entry for each principal of that account that needs access"));
        }
        return new MigrationPlan(awsAuth.resourceVersion(), planned);
    }

    /** aws-iam-authenticator looks ARNs up lower-cased: two mappings of the same ARN in another case collide. */
    private static String identityKey(Mapping mapping) {
        return mapping.kind() + " " + mapping.arn().toLowerCase(Locale.ROOT);
    }

    private PlannedMapping plan(Mapping mapping) {
        Principal principal;
        switch (resolve(mapping)) {
            case Resolution.Resolved resolved -> principal = resolved.principal();
            case Resolution.Refused refused -> {
                return new PlannedMapping(mapping.source().toString(), mapping.arn(), mapping.username(),
                        mapping.groups(), refused.verdict(), Optional.empty(), refused.reason());
            }
        }
        Set<String> groups = new LinkedHashSet<>(mapping.groups());
        if (groups.contains(BOOTSTRAPPERS) && groups.contains(NODES)) {
            if (mapping.kind() == Mapping.Kind.USER) {
                return notMigratable(mapping, "an IAM user mapped with the node groups: node entry types accept only "
                        + "IAM roles, and a STANDARD entry cannot carry system: groups");
            }
            return planNode(mapping, principal, groups);
        }
        List<String> systemGroups = groups.stream()
                .filter(g -> g.startsWith("system:") && !g.equals(MASTERS)).toList();
        if (!systemGroups.isEmpty()) {
            return notMigratable(mapping, "access entries refuse Kubernetes groups starting with 'system:' ("
                    + String.join(", ", systemGroups) + "); only system:masters has an equivalent "
                    + "(AmazonEKSClusterAdminPolicy), and node roles need both system:bootstrappers and system:nodes");
        }
        Optional<String> username = mapping.username();
        if (username.isPresent()) {
            Optional<String> problem = usernameProblem(mapping, username.get());
            if (problem.isPresent()) {
                return notMigratable(mapping, problem.get());
            }
            username = Optional.of(username.get().replace("{{AccountID}}", principal.accountId()));
        }
        boolean admin = groups.remove(MASTERS);
        List<String> policies = admin ? List.of(AccessPolicies.CLUSTER_ADMIN) : List.of();
        PlannedEntry entry = new PlannedEntry(principal.arn(), Type.STANDARD, username, List.copyOf(groups), policies);
        List<String> why = new ArrayList<>();
        why.add(admin ? "system:masters becomes " + AccessPolicies.CLUSTER_ADMIN + " at cluster scope"
                : "a STANDARD entry");
        if (!groups.isEmpty()) {
            why.add("groups kept as kubernetesGroups");
        }
        why.add(username.isPresent() ? "username kept" : "no username in aws-auth: EKS gives its default (the "
                + "user's ARN, or the role session's STS ARN); check RBAC bindings that name a user");
        principal.note().ifPresent(why::add);
        return new PlannedMapping(mapping.source().toString(), mapping.arn(), mapping.username(), mapping.groups(),
                Verdict.MIGRATE, Optional.of(entry), String.join("; ", why));
    }

    private PlannedMapping planNode(Mapping mapping, Principal principal, Set<String> groups) {
        Set<String> extra = new LinkedHashSet<>(groups);
        extra.remove(BOOTSTRAPPERS);
        extra.remove(NODES);
        String username = mapping.username().orElse(EC2_NODE_USERNAME);
        Type type;
        String expectedUsername;
        if (extra.isEmpty()) {
            type = Type.EC2_LINUX;
            expectedUsername = EC2_NODE_USERNAME;
        } else if (extra.equals(Set.of(NODE_PROXIER))) {
            type = Type.FARGATE_LINUX;
            expectedUsername = "system:node:" + SESSION_NAME;
        } else if (extra.equals(Set.of(WINDOWS_PROXY))) {
            type = Type.EC2_WINDOWS;
            expectedUsername = EC2_NODE_USERNAME;
        } else {
            return notMigratable(mapping, "a node role's entry (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX) carries no "
                    + "groups of its own, so the extra groups " + String.join(", ", extra) + " would be lost");
        }
        if (!username.equals(expectedUsername)) {
            return notMigratable(mapping, "a " + type + " entry's username is " + expectedUsername + ", set by "
                    + "EKS; this node mapping uses " + username + ", which an entry cannot keep");
        }
        PlannedEntry entry = new PlannedEntry(principal.arn(), type, Optional.empty(), List.of(), List.of());
        String note = principal.note().map(n -> "; " + n).orElse("");
        if (type == Type.EC2_LINUX) {
            return new PlannedMapping(mapping.source().toString(), mapping.arn(), mapping.username(),
                    mapping.groups(), Verdict.MIGRATE, Optional.of(entry),
                    "node role: an EC2_LINUX entry (EKS gives it the node groups and username)" + note);
        }
        return new PlannedMapping(mapping.source().toString(), mapping.arn(), mapping.username(), mapping.groups(),
                Verdict.NOT_MIGRATABLE, Optional.of(entry), (type == Type.FARGATE_LINUX ? "Fargate pod execution role"
                        : "Windows node role") + ": its entry is " + type + ", which this system does not create (its "
                        + "IAM permissions allow only STANDARD and EC2_LINUX entries); create it by hand: aws eks "
                        + "create-access-entry --principal-arn " + principal.arn() + " --type " + type + note);
    }

    /** Why EKS would refuse, or misread, {@code username}; empty when an entry can keep it. */
    private static Optional<String> usernameProblem(Mapping mapping, String username) {
        for (String prefix : RESERVED_USERNAME_PREFIXES) {
            if (username.startsWith(prefix)) {
                return Optional.of("access entries refuse usernames starting with '" + prefix + "' (" + username
                        + "); choose another username and update the RBAC bindings that name it");
            }
        }
        Matcher templates = TEMPLATE.matcher(username);
        while (templates.find()) {
            String template = templates.group();
            if (template.equals("{{AccountID}}")) {
                continue;
            }
            if (!template.equals(SESSION_NAME)) {
                return Optional.of("access-entry usernames expand only {{SessionName}}; " + template + " in '"
                        + username + "' has no equivalent");
            }
            if (mapping.kind() == Mapping.Kind.USER) {
                return Optional.of("an IAM user has no session, so {{SessionName}} in '" + username
                        + "' has no meaning in a user's entry");
            }
            if (!username.substring(0, templates.start()).contains(":")) {
                return Optional.of("EKS needs a colon before {{SessionName}} in a username ('" + username + "')");
            }
        }
        return Optional.empty();
    }

    private Resolution resolve(Mapping mapping) {
        String arn = mapping.arn();
        if (mapping.kind() == Mapping.Kind.USER) {
            if (!USER.matcher(arn).matches()) {
                return refuse("not an IAM user ARN, so aws-iam-authenticator matches nobody with it"
                        + (ROLE.matcher(arn).matches() ? " (a role belongs in mapRoles)" : ""));
            }
            return checked(new Principal(arn, accountOf(arn), Optional.empty()));
        }
        Matcher role = ROLE.matcher(arn);
        if (!role.matches()) {
            return refuse(arn.contains(":assumed-role/")
                    ? "an STS session ARN: aws-auth matches role ARNs only, so this mapping grants nothing today"
                    : "not an IAM role ARN, so aws-iam-authenticator matches nobody with it"
                            + (USER.matcher(arn).matches() ? " (a user belongs in mapUsers)" : ""));
        }
        String account = role.group(2);
        String name = role.group(3);
        if (name.contains("/")) {
            return refuse("aws-auth never matches a role ARN that includes a path, so this mapping grants nothing "
                    + "today; migrating it would give access no one has now (map arn:" + role.group(1) + ":iam::"
                    + account + ":role/" + name.substring(name.lastIndexOf('/') + 1) + " if that access is wanted)");
        }
        if (!ROLE_NAME.matcher(name).matches()) {
            return refuse("'" + name + "' is not a valid IAM role name");
        }
        return switch (roles.role(account, name)) {
            case RoleDirectory.Lookup.Found found -> {
                // IAM role names are unique regardless of case, and GetRole answers with the stored case.
                String foundArn = found.arn();
                if (!foundArn.startsWith("arn:" + role.group(1) + ":iam::" + account + ":role/")
                        || !foundArn.regionMatches(true, foundArn.length() - name.length() - 1, "/" + name, 0,
                                name.length() + 1)) {
                    yield new Resolution.Refused(Verdict.UNRESOLVED, "IAM answered " + found.arn()
                            + " for role " + name + " of account " + account);
                }
                Optional<String> note = found.arn().equals(arn) ? Optional.empty()
                        : Optional.of("role path restored from IAM: " + found.arn());
                yield checked(new Principal(found.arn(), account, note));
            }
            case RoleDirectory.Lookup.Missing missing -> refuse("IAM has no role " + name + " in account " + account
                    + " (deleted?), so this mapping grants nothing today");
            case RoleDirectory.Lookup.Failed failed -> new Resolution.Refused(Verdict.UNRESOLVED,
                    "the role's path could not be looked up: " + failed.reason());
        };
    }

    private static Resolution checked(Principal principal) {
        return IamPrincipal.problemWith(principal.arn())
                .<Resolution>map(problem -> refuse(principal.arn() + " " + problem))
                .orElse(new Resolution.Resolved(principal));
    }

    private static Resolution refuse(String reason) {
        return new Resolution.Refused(Verdict.NOT_MIGRATABLE, reason);
    }

    private static String accountOf(String arn) {
        return arn.split(":")[4];
    }

    private static PlannedMapping notMigratable(Mapping mapping, String reason) {
        return new PlannedMapping(mapping.source().toString(), mapping.arn(), mapping.username(), mapping.groups(),
                Verdict.NOT_MIGRATABLE, Optional.empty(), reason);
    }

    /** The principal an entry would name; {@code note} says when its ARN differs from aws-auth's. */
    private record Principal(String arn, String accountId, Optional<String> note) {
    }

    private sealed interface Resolution {
        record Resolved(Principal principal) implements Resolution {
        }

        record Refused(Verdict verdict, String reason) implements Resolution {
        }
    }
}
