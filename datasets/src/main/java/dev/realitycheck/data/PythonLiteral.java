package dev.realitycheck.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small subset of Python literal syntax found in {@code .npy} headers: dicts,
 * tuples, lists, strings, integers (with Python 2's {@code L} suffix), {@code True},
 * {@code False} and {@code None}.
 *
 * <p>Values come back as {@link Map} (insertion-ordered), {@link Tuple}, {@link List},
 * {@link String}, {@link Long}, {@link Boolean}, or {@link #NONE}.
 */
final class PythonLiteral {

    /** A Python tuple, kept apart from lists because NumPy requires the shape to be a tuple. */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items);
        }
    }

    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * @param text one literal, optionally surrounded by whitespace
     * @return its value
     * @throws IllegalArgumentException naming the character offset and what was expected there
     */
    static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> tupleOrParenthesised();
            case '[' -> list();
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    yield integer();
                }
                if (Character.isLetter(c) || c == '_') {
                    yield constant();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<Object, Object> dict() {
        expect('{');
        Map<Object, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        while (!peek('}')) {
            Object key = value();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (map.put(key, value) != null) {
                throw error("duplicate key " + key);
            }
            skipWhitespace();
            if (!peek('}')) {
                expect(',');
                skipWhitespace();
            }
        }
        expect('}');
        return Collections.unmodifiableMap(map);
    }

    private Object tupleOrParenthesised() {
        expect('(');
        skipWhitespace();
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (!peek(')')) {
            items.add(value());
            skipWhitespace();
            if (!peek(')')) {
                expect(',');
                sawComma = true;
                skipWhitespace();
            }
        }
        expect(')');
        if (items.size() == 1 && !sawComma) {
            return items.get(0); // (5) is just 5 in Python; a one-tuple is written (5,)
        }
        return new Tuple(items);
    }

    private List<Object> list() {
        expect('[');
        skipWhitespace();
        List<Object> items = new ArrayList<>();
        while (!peek(']')) {
            items.add(value());
            skipWhitespace();
            if (!peek(']')) {
                expect(',');
                skipWhitespace();
            }
        }
        expect(']');
        return Collections.unmodifiableList(items);
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case 'x' -> sb.append((char) hex(2));
                    case 'u' -> sb.append((char) hex(4));
                    default -> throw error("unsupported escape '\\" + e + "'");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated escape");
        }
        try {
            int value = Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return value;
        } catch (NumberFormatException e) {
            throw error("bad hexadecimal escape");
        }
    }

    private Long integer() {
        int start = pos;
        if (peek('-') || peek('+')) {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digitsStart) {
            throw error("expected digits");
        }
        String number = text.substring(start, pos);
        if (peek('L') || peek('l')) {
            pos++; // Python 2 long literal, as in headers written by NumPy under Python 2
        }
        try {
            return Long.parseLong(number.startsWith("+") ? number.substring(1) : number);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + number + " is out of range");
        }
    }

    private Object constant() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> {
                pos = start;
                throw error("unexpected name '" + word + "'");
            }
        };
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        String found = pos < text.length() ? "" : " (at the end)";
        return new IllegalArgumentException(what + " at character " + pos + found);
    }
}
