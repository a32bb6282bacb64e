package dev.eksaccess.awsauth;

import dev.eksaccess.contract.AccountId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the aws-auth ConfigMap, as the Kubernetes API returns it (JSON) or as {@code kubectl get -o yaml} prints it
 * (JSON is YAML too), and its {@code mapRoles}, {@code mapUsers} and {@code mapAccounts} values, which are YAML
 * strings.
 *
 * <p>Stricter than aws-iam-authenticator on purpose: an unknown key ({@code rolarn}, {@code grups}), a repeated key,
 * a missing ARN or a value of the wrong kind is an error naming the entry and its line, because the authenticator
 * drops a whole list for one malformed entry, or silently ignores a misspelt key, and a plan built on a guess could
 * lock people out. The parser only reads the node tree (no object construction), so no YAML tag can make it build
 * anything.
 */
public final class AwsAuthParser {

    /** A ConfigMap holds at most 1 MiB. */
    private static final int MAX_CODE_POINTS = 1024 * 1024;
    private static final Set<String> ROLE_KEYS = Set.of("rolearn", "username", "groups");
    private static final Set<String> USER_KEYS = Set.of("userarn", "username", "groups");
    private static final String ACCOUNTS = "mapAccounts";

    private AwsAuthParser() {
    }

    /**
     * Reads a whole ConfigMap document.
     *
     * @throws BrokenAwsAuthException when it is not the aws-auth ConfigMap of kube-system, or any mapping in it is
     *                                malformed; the message names the place and line
     */
    public static AwsAuth parseConfigMap(String document) throws BrokenAwsAuthException {
        try {
            return readConfigMap(document);
        } catch (Wrapped wrapped) {
            throw wrapped.cause;
        }
    }

    private static AwsAuth readConfigMap(String document) throws BrokenAwsAuthException {
        Node root = compose(document, "the ConfigMap");
        MappingNode configMap = mapping(root, "the ConfigMap");
        Map<String, Node> top = fields(configMap, "the ConfigMap", null);
        optionalScalar(top, "kind", "kind").filter(kind -> !kind.equals("ConfigMap")).ifPresent(kind -> {
            throw new Wrapped(new BrokenAwsAuthException("kind", "is " + kind + ", not ConfigMap"));
        });
        Map<String, Node> metadata = top.containsKey("metadata")
                ? fields(mapping(top.get("metadata"), "metadata"), "metadata", null) : Map.of();
        String name = optionalScalar(metadata, "name", "metadata.name").orElse("aws-auth");
        String namespace = optionalScalar(metadata, "namespace", "metadata.namespace").orElse("kube-system");
        if (!name.equals("aws-auth") || !namespace.equals("kube-system")) {
            throw new BrokenAwsAuthException("metadata", "this is ConfigMap " + namespace + "/" + name
                    + ", not kube-system/aws-auth");
        }
        Optional<String> resourceVersion = optionalScalar(metadata, "resourceVersion", "metadata.resourceVersion");
        Map<String, String> data = new LinkedHashMap<>();
        Node dataNode = top.get("data");
        if (dataNode != null && !isNull(dataNode)) {
            for (Map.Entry<String, Node> field : fields(mapping(dataNode, "data"), "data", null).entrySet()) {
                data.put(field.getKey(), scalar(field.getValue(), "data." + field.getKey()));
            }
        }
        return parseData(data, resourceVersion);
    }

    /**
     * Reads the ConfigMap's data values. Keys other than the three mappings are ignored: EKS add-ons and tools keep
     * their own keys there, and aws-iam-authenticator reads only these.
     *
     * @throws BrokenAwsAuthException when a value is not valid YAML or an entry is malformed
     */
    public static AwsAuth parseData(Map<String, String> data, Optional<String> resourceVersion)
            throws BrokenAwsAuthException {
        try {
            List<Mapping> mappings = new ArrayList<>();
            for (Mapping.Kind kind : Mapping.Kind.values()) {
                List<Node> entries = list(data.get(kind.field()), kind.field());
                for (int i = 0; i < entries.size(); i++) {
                    mappings.add(mapping(kind, i, entries.get(i)));
                }
            }
            List<AwsAuth.MappedAccount> accounts = new ArrayList<>();
            List<Node> accountNodes = list(data.get(ACCOUNTS), ACCOUNTS);
            for (int i = 0; i < accountNodes.size(); i++) {
                Node node = accountNodes.get(i);
                String where = ACCOUNTS + "[" + i + "]";
                String account = scalar(node, where);
                if (!AccountId.isValid(account)) {
                    throw new BrokenAwsAuthException(at(where, node), "'" + account + "' is not a 12-digit account id");
                }
                accounts.add(new AwsAuth.MappedAccount(new Mapping.Source(ACCOUNTS, i, line(node)), account));
            }
            return new AwsAuth(resourceVersion, mappings, accounts);
        } catch (Wrapped wrapped) {
            throw wrapped.cause;
        }
    }

    private static Mapping mapping(Mapping.Kind kind, int index, Node entry) throws BrokenAwsAuthException {
        String where = kind.field() + "[" + index + "]";
        Set<String> allowed = kind == Mapping.Kind.ROLE ? ROLE_KEYS : USER_KEYS;
        Map<String, Node> fields = fields(mapping(entry, where), where, allowed);
        Node arnNode = fields.get(kind.arnKey());
        if (arnNode == null || isNull(arnNode) || scalar(arnNode, where + "." + kind.arnKey()).isBlank()) {
            throw new BrokenAwsAuthException(at(where, entry), kind.arnKey() + " is required"
                    + (kind == Mapping.Kind.ROLE && fields.containsKey("userarn")
                            ? " (userarn belongs in mapUsers)" : ""));
        }
        String arn = scalar(arnNode, where + "." + kind.arnKey()).trim();
        Optional<String> username = optionalScalar(fields, "username", where + ".username")
                .map(String::trim).filter(u -> !u.isEmpty());
        List<String> groups = new ArrayList<>();
        Node groupsNode = fields.get("groups");
        if (groupsNode != null && !isNull(groupsNode)) {
            if (!(groupsNode instanceof SequenceNode sequence)) {
                throw new BrokenAwsAuthException(at(where + ".groups", groupsNode), "must be a list of group names");
            }
            for (int g = 0; g < sequence.getValue().size(); g++) {
                Node group = sequence.getValue().get(g);
                String name = scalar(group, where + ".groups[" + g + "]").trim();
                if (name.isEmpty()) {
                    throw new BrokenAwsAuthException(at(where + ".groups[" + g + "]", group), "is empty");
                }
                groups.add(name);
            }
        }
        return new Mapping(new Mapping.Source(kind.field(), index, line(entry)), kind, arn, username, groups);
    }

    private static List<Node> list(String yaml, String field) throws BrokenAwsAuthException {
        if (yaml == null || yaml.isBlank()) {
            return List.of();
        }
        Node root = compose(yaml, field);
        if (isNull(root)) {
            return List.of();
        }
        if (!(root instanceof SequenceNode sequence)) {
            throw new BrokenAwsAuthException(at(field, root), "must be a YAML list (entries starting with '- ')");
        }
        return sequence.getValue();
    }

    private static Node compose(String yaml, String what) throws BrokenAwsAuthException {
        LoadSettings settings = LoadSettings.builder().setLabel(what).setCodePointLimit(MAX_CODE_POINTS)
                .setMaxAliasesForCollections(50).build();
        try {
            Optional<Node> node = new Compose(settings).composeString(yaml);
            return node.orElse(new ScalarNode(Tag.NULL, "", org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN));
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(mark -> what + ", " + position(mark, what)).orElse(what);
            throw new BrokenAwsAuthException(where, "not valid YAML: " + e.getProblem()
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
        } catch (YamlEngineException e) {
            throw new BrokenAwsAuthException(what, "not valid YAML: " + e.getMessage());
        }
    }

    private static MappingNode mapping(Node node, String where) throws BrokenAwsAuthException {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw new BrokenAwsAuthException(at(where, node), "must be a mapping of keys to values, not "
                + describe(node));
    }

    /** The keys of a mapping, each once; {@code allowed} null means any key. */
    private static Map<String, Node> fields(MappingNode mapping, String where, Set<String> allowed)
            throws BrokenAwsAuthException {
        Map<String, Node> fields = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = scalar(keyNode, where + " key");
            if (!seen.add(key)) {
                throw new BrokenAwsAuthException(at(where + "." + key, keyNode), "the key is repeated");
            }
            if (allowed != null && !allowed.contains(key)) {
                throw new BrokenAwsAuthException(at(where + "." + key, keyNode), "unknown key '" + key
                        + "'; an entry has only " + String.join(", ", allowed.stream().sorted().toList()));
            }
            fields.put(key, tuple.getValueNode());
        }
        return fields;
    }

    private static Optional<String> optionalScalar(Map<String, Node> fields, String key, String where) {
        Node node = fields.get(key);
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        try {
            return Optional.of(scalar(node, where));
        } catch (BrokenAwsAuthException e) {
            throw new Wrapped(e);
        }
    }

    private static String scalar(Node node, String where) throws BrokenAwsAuthException {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new BrokenAwsAuthException(at(where, node), "must be a single value, not " + describe(node));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode ignored -> "a mapping";
            case SequenceNode ignored -> "a list";
            default -> "a single value";
        };
    }

    /** The place, with its line and column; inside a data value they count from that value's first line. */
    private static String at(String where, Node node) {
        return node.getStartMark().map(mark -> where + ", " + position(mark, where)).orElse(where);
    }

    private static String position(Mark mark, String where) {
        String value = where.startsWith("map") ? " of data." + where.split("[\\[ .,]", 2)[0] : "";
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + value;
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    /** Carries the checked exception through the lambdas and helpers that return Optional. */
    private static final class Wrapped extends RuntimeException {
        private final BrokenAwsAuthException cause;

        Wrapped(BrokenAwsAuthException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
