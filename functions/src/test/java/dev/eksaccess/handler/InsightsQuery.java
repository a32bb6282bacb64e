package dev.eksaccess.handler;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The part of the CloudWatch Logs Insights query language that docs/deploy.md uses, enough to run its queries over log
 * lines: the commands {@code fields}, {@code display}, {@code filter}, {@code stats}, {@code sort} and {@code limit};
 * in {@code filter}, {@code =}, {@code !=}, {@code in [...]}, {@code like /regex/} or {@code like "text"},
 * {@code ispresent(field)}, {@code and}, {@code or} and parentheses. Anything else is refused, so that the docs cannot
 * use what the test does not check.
 *
 * <p>As in Logs Insights, a comparison with a field a line does not have is false (for {@code !=} too), {@code like}
 * with a regular expression matches anywhere in the value, and with a string is a substring match.
 */
final class InsightsQuery {

    private final String text;
    private final List<Predicate<JsonNode>> filters = new ArrayList<>();
    private final Set<String> fields = new LinkedHashSet<>();
    private final Set<String> aliases = new LinkedHashSet<>();
    private final List<Token> tokens;
    private int next;

    private InsightsQuery(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** @throws IllegalArgumentException naming what is not understood */
    static InsightsQuery parse(String text) {
        InsightsQuery query = new InsightsQuery(text);
        query.commands();
        query.fields.removeAll(query.aliases);
        return query;
    }

    String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Whether every {@code filter} of the query keeps {@code line}. */
    boolean selects(JsonNode line) {
        return filters.stream().allMatch(filter -> filter.test(line));
    }

    /** The log fields the query names, without Logs Insights' own ({@code @timestamp}) and the aliases it defines. */
    Set<String> fields() {
        return fields;
    }

    // ------------------------------------------------------------------ commands

    private void commands() {
        do {
            String command = word();
            switch (command) {
                case "fields", "display" -> list(() -> {
                    field();
                    alias();
                });
                case "filter" -> filters.add(or());
                case "stats" -> {
                    list(() -> {
                        word();
                        expect("(");
                        if (!accept("*")) {
                            field();
                        }
                        expect(")");
                        alias();
                    });
                    if (acceptWord("by")) {
                        list(this::field);
                    }
                }
                case "sort" -> list(() -> {
                    field();
                    if (!acceptWord("asc")) {
                        acceptWord("desc");
                    }
                });
                case "limit" -> take(Kind.NUMBER);
                default -> throw refused("command " + command);
            }
        } while (accept("|"));
        if (peek().kind() != Kind.END) {
            throw refused("'" + peek().text() + "'");
        }
    }

    private void list(Runnable item) {
        do {
            item.run();
        } while (accept(","));
    }

    private String field() {
        String name = word();
        if (!name.startsWith("@")) {
            fields.add(name);
        }
        return name;
    }

    private void alias() {
        if (acceptWord("as")) {
            aliases.add(word());
        }
    }

    // ------------------------------------------------------------------ filter expressions

    private Predicate<JsonNode> or() {
        Predicate<JsonNode> left = and();
        while (acceptWord("or")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<JsonNode> and() {
        Predicate<JsonNode> left = primary();
        while (acceptWord("and")) {
            left = left.and(primary());
        }
        return left;
    }

    private Predicate<JsonNode> primary() {
        if (accept("(")) {
            Predicate<JsonNode> inner = or();
            expect(")");
            return inner;
        }
        if (acceptWord("ispresent")) {
            expect("(");
            String name = field();
            expect(")");
            return line -> value(line, name) != null;
        }
        String name = field();
        if (accept("=")) {
            Token literal = literal();
            return line -> value(line, name) != null && equal(value(line, name), literal);
        }
        if (accept("!=")) {
            Token literal = literal();
            return line -> value(line, name) != null && !equal(value(line, name), literal);
        }
        if (acceptWord("in")) {
            expect("[");
            List<Token> literals = new ArrayList<>();
            list(() -> literals.add(literal()));
            expect("]");
            return line -> value(line, name) != null && literals.stream().anyMatch(l -> equal(value(line, name), l));
        }
        if (acceptWord("like")) {
            Token pattern = peek().kind() == Kind.REGEX ? take(Kind.REGEX) : take(Kind.STRING);
            Pattern regex = Pattern.compile(pattern.kind() == Kind.REGEX
                    ? pattern.text() : Pattern.quote(pattern.text()));
            return line -> value(line, name) != null && regex.matcher(value(line, name).asText()).find();
        }
        throw refused("'" + peek().text() + "' after " + name);
    }

    private Token literal() {
        Token token = peek();
        if (token.kind() != Kind.STRING && token.kind() != Kind.NUMBER) {
            throw refused("'" + token.text() + "' where a string or number belongs");
        }
        next++;
        return token;
    }

    /** The field's value in the line; null when the line has none (or JSON null, which Logs Insights leaves out). */
    private static JsonNode value(JsonNode line, String name) {
        JsonNode value = line.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static boolean equal(JsonNode value, Token literal) {
        if (literal.kind() == Kind.NUMBER) {
            return value.isNumber() && value.decimalValue().compareTo(new BigDecimal(literal.text())) == 0;
        }
        return value.isValueNode() && value.asText().equals(literal.text());
    }

    // ------------------------------------------------------------------ tokens

    private enum Kind { WORD, STRING, REGEX, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text) {
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != c; j++) {
                    if (text.charAt(j) == '\\') {
                        j++;
                    }
                    value.append(text.charAt(j));
                }
                tokens.add(new Token(Kind.STRING, value.toString()));
                i = j + 1;
            } else if (c == '/' && !tokens.isEmpty() && tokens.getLast().text().equals("like")) {
                int end = text.indexOf('/', i + 1);
                tokens.add(new Token(Kind.REGEX, text.substring(i + 1, end)));
                i = end + 1;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '@' || c == '_') {
                int j = i;
                while (j < text.length()
                        && (Character.isLetterOrDigit(text.charAt(j)) || "@_.".indexOf(text.charAt(j)) >= 0)) {
                    j++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(i, j)));
                i = j;
            } else if (text.startsWith("!=", i)) {
                tokens.add(new Token(Kind.SYMBOL, "!="));
                i += 2;
            } else if ("=()[],*|".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            } else {
                throw new IllegalArgumentException("'" + c + "' is not understood in: " + text);
            }
        }
        tokens.add(new Token(Kind.END, "end of query"));
        return tokens;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take(Kind kind) {
        Token token = peek();
        if (token.kind() != kind) {
            throw refused("'" + token.text() + "' where a " + kind.name().toLowerCase() + " belongs");
        }
        next++;
        return token;
    }

    private String word() {
        return take(Kind.WORD).text();
    }

    private boolean accept(String symbol) {
        return accept(Kind.SYMBOL, symbol);
    }

    private boolean acceptWord(String word) {
        return accept(Kind.WORD, word);
    }

    private boolean accept(Kind kind, String text) {
        boolean found = peek().kind() == kind && peek().text().equals(text);
        if (found) {
            next++;
        }
        return found;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw refused("'" + peek().text() + "' where '" + symbol + "' belongs");
        }
    }

    private IllegalArgumentException refused(String what) {
        return new IllegalArgumentException(what + " is not understood in: " + text);
    }
}
