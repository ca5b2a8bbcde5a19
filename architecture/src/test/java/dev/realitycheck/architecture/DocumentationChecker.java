package dev.realitycheck.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one Markdown file's links, backticked repository paths and backticked type names
 * against a repository on disk. The rules are written out in {@link DocumentationLinksTest}'s
 * Javadoc; this class implements them and nothing else.
 */
final class DocumentationChecker {

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    /** {@code [text](target)} or {@code ![alt](target "title")}; link text may hold one level of brackets. */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*(<[^>\\n]*>|[^\\s()]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:[ \\t]*(<[^>]*>|\\S+)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    /** A type name, then optional members and calls: {@code ExactKnn.search}, {@code Topics.ALL}, {@code TrainingRun.resume(...)}. */
    private static final Pattern TYPE_REFERENCE = Pattern.compile(
            "([A-Z][A-Za-z0-9]*)((?:\\.[A-Za-z_][A-Za-z0-9_]*|\\([^()]*\\))*)");
    /** {@code dev.realitycheck.some.pkg}, optionally followed by a type and its members. */
    private static final Pattern QUALIFIED_REFERENCE = Pattern.compile(
            "(dev\\.realitycheck(?:\\.[a-z][a-z0-9_]*)*)(?:\\.([A-Z][A-Za-z0-9]*)(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\([^()]*\\))*)?");
    /** A token ending in one of these is a file name ({@code Chart.yaml}), not a type and its member. */
    private static final Set<String> FILE_EXTENSIONS = Set.of("bin", "csv", "gz", "html", "jar", "java", "jpeg", "jpg",
            "json", "log", "md", "npy", "pb", "pid", "png", "properties", "proto", "sh", "tgz", "tsv", "txt", "xml",
            "yaml", "yml", "zip");
    /** Characters that make a path segment a placeholder or a glob: {@code <service>}, {@code *.pid}, {@code {id}}. */
    private static final Pattern PLACEHOLDER_SEGMENT = Pattern.compile(".*[*?<>{}\\[\\]$|].*|.*\\.\\.\\..*");
    private static final Pattern JAVA_DECLARATION = Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z][A-Za-z0-9_]*)");
    private static final Pattern JAVA_PACKAGE = Pattern.compile("\\bpackage\\s+([a-z][A-Za-z0-9_.]*)\\s*;");
    private static final Pattern PROTO_DECLARATION = Pattern.compile("(?m)^\\s*(message|enum|service|rpc)\\s+([A-Za-z][A-Za-z0-9_]*)");
    private static final Pattern PROTO_JAVA_PACKAGE = Pattern.compile("option\\s+java_package\\s*=\\s*\"([^\"]+)\"");

    private final Path root;
    private final Set<String> rootEntries;
    private final List<PathMatcher> ignored;
    private final Set<String> types;
    private final Set<String> qualifiedTypes;
    private final Set<String> packages;
    private final Set<String> allowedNonProjectTypes;
    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    private DocumentationChecker(Path root, Set<String> allowedNonProjectTypes) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.allowedNonProjectTypes = Set.copyOf(allowedNonProjectTypes);
        this.ignored = ignorePatterns(this.root);
        this.rootEntries = new TreeSet<>();
        try (var entries = Files.list(this.root)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(".git") && !isIgnored(name))
                    .forEach(rootEntries::add);
        }
        this.types = new HashSet<>();
        this.qualifiedTypes = new HashSet<>();
        this.packages = new HashSet<>();
        scanSources();
    }

    /** A checker for the repository at {@code root}, its type names read from every source directory in it. */
    static DocumentationChecker forRepository(Path root, Set<String> allowedNonProjectTypes) {
        try {
            return new DocumentationChecker(root, allowedNonProjectTypes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Set<String> rootEntries() {
        return rootEntries;
    }

    Set<String> projectTypes() {
        return types;
    }

    /** The problems of a Markdown file of the repository, each as {@code file:line: what}. */
    List<String> check(Path markdownFile) {
        Path file = markdownFile.toAbsolutePath().normalize();
        try {
            return check(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of {@code markdown}, read as if it were the file {@code location} (which need not exist). */
    List<String> check(Path location, String markdown) {
        Path file = location.toAbsolutePath().normalize();
        String name = root.relativize(file).toString();
        Document doc = Document.parse(markdown);
        List<String> problems = new ArrayList<>();

        for (Document.Link link : doc.links()) {
            String problem = checkLink(file, doc, link.target());
            if (problem != null) {
                problems.add(name + ":" + link.line() + ": link (" + link.target() + "): " + problem);
            }
        }
        for (Document.CodeSpan span : doc.codeSpans()) {
            for (String word : span.content().split("\\s+")) {
                String problem = checkPathWord(word);
                if (problem != null) {
                    problems.add(name + ":" + span.line() + ": `" + word + "`: " + problem);
                }
            }
            String problem = checkTypeSpan(span.content());
            if (problem != null) {
                problems.add(name + ":" + span.line() + ": `" + span.content() + "`: " + problem);
            }
        }
        return problems;
    }

    private String checkLink(Path file, Document doc, String rawTarget) {
        String target = rawTarget.startsWith("<") && rawTarget.endsWith(">")
                ? rawTarget.substring(1, rawTarget.length() - 1) : rawTarget;
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null; // external: not checked
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        pathPart = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);

        Path resolved;
        if (pathPart.isEmpty()) {
            resolved = file;
        } else {
            resolved = (pathPart.startsWith("/") ? root.resolve(pathPart.substring(1)) : file.getParent().resolve(pathPart))
                    .normalize();
            if (!resolved.startsWith(root)) {
                return "points outside the repository";
            }
            if (!Files.exists(resolved)) {
                return "no such file or directory: " + root.relativize(resolved);
            }
        }
        if (anchor == null || anchor.isEmpty()) {
            return null;
        }
        if (!resolved.getFileName().toString().endsWith(".md")) {
            return null; // anchors of other files (line anchors of source files) are not checked
        }
        Set<String> anchors = resolved.equals(file) ? doc.anchors() : anchorsOf(resolved);
        String decoded = URLDecoder.decode(anchor.replace("+", "%2B"), StandardCharsets.UTF_8);
        return anchors.contains(decoded) ? null
                : "no heading with anchor #" + decoded + " in " + root.relativize(resolved);
    }

    private Set<String> anchorsOf(Path markdownFile) {
        return anchorsByFile.computeIfAbsent(markdownFile, f -> {
            try {
                return Document.parse(Files.readString(f)).anchors();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Null when the word is no repository path or names one that exists. */
    String checkPathWord(String rawWord) {
        String word = rawWord.replaceAll("^[(\"']+", "").replaceAll("[)\"',;:]+$", "");
        if (word.startsWith("../")) {
            return "points outside the repository";
        }
        if (word.startsWith("./")) {
            word = word.substring(2);
        }
        if (word.isEmpty()) {
            return null;
        }
        String[] segments = word.split("/");
        if (segments.length == 0 || !rootEntries.contains(segments[0])) {
            return null;
        }
        if (!word.contains("/") && !Files.isRegularFile(root.resolve(segments[0]))) {
            return null; // a bare top-level directory name is a word, not a path
        }
        StringBuilder checked = new StringBuilder();
        for (String segment : segments) {
            if (segment.isEmpty() || PLACEHOLDER_SEGMENT.matcher(segment).matches()) {
                break;
            }
            if (isIgnored(segment)) {
                return null; // a build or run output (target/...), absent from a clean checkout
            }
            if (!checked.isEmpty()) {
                checked.append('/');
            }
            checked.append(segment);
        }
        return Files.exists(root.resolve(checked.toString())) ? null : "no such file or directory: " + checked;
    }

    /** Null when the span is no type reference or names a project type (or an allowed external one). */
    String checkTypeSpan(String content) {
        Matcher qualified = QUALIFIED_REFERENCE.matcher(content);
        if (qualified.matches()) {
            String pkg = qualified.group(1);
            String type = qualified.group(2);
            if (type == null) {
                return packages.contains(pkg) ? null : "no such package in the project";
            }
            return qualifiedTypes.contains(pkg + "." + type) ? null : "no type " + type + " in package " + pkg;
        }
        Matcher reference = TYPE_REFERENCE.matcher(content);
        if (!reference.matches()) {
            return null;
        }
        String type = reference.group(1);
        if (type.chars().noneMatch(Character::isLowerCase)) {
            return null; // SHA, MAP, IDX: an acronym, not a type
        }
        String members = reference.group(2);
        if (!members.contains("(")) {
            String last = content.substring(content.lastIndexOf('.') + 1);
            if (!members.isEmpty() && FILE_EXTENSIONS.contains(last)) {
                return null; // Chart.yaml: a file name
            }
        }
        if (types.contains(type) || allowedNonProjectTypes.contains(type)) {
            return null;
        }
        return "no type " + type + " is declared in the project (a .java file under a src directory, or a .proto)";
    }

    // ---- the repository ----

    private static List<PathMatcher> ignorePatterns(Path root) throws IOException {
        Path gitignore = root.resolve(".gitignore");
        List<PathMatcher> matchers = new ArrayList<>();
        if (!Files.isRegularFile(gitignore)) {
            return matchers;
        }
        for (String line : Files.readAllLines(gitignore)) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                continue;
            }
            if (pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            if (pattern.endsWith("/")) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            if (pattern.isEmpty() || pattern.contains("/")) {
                continue; // only patterns for a single name apply to the names checked here
            }
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        }
        return matchers;
    }

    private boolean isIgnored(String name) {
        Path path = Path.of(name);
        return ignored.stream().anyMatch(m -> m.matches(path));
    }

    private void scanSources() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                return name.equals(".git") || isIgnored(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                boolean inSrc = false;
                for (Path segment : root.relativize(file)) {
                    inSrc |= segment.toString().equals("src");
                }
                if (inSrc && name.endsWith(".java")) {
                    scanJava(Files.readString(file));
                } else if (inSrc && name.endsWith(".proto")) {
                    scanProto(Files.readString(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void scanJava(String source) {
        String code = stripCommentsAndLiterals(source);
        Matcher pkg = JAVA_PACKAGE.matcher(code);
        String packageName = pkg.find() ? pkg.group(1) : "";
        if (!packageName.isEmpty()) {
            packages.add(packageName);
        }
        Matcher declaration = JAVA_DECLARATION.matcher(code);
        while (declaration.find()) {
            types.add(declaration.group(1));
            qualifiedTypes.add(packageName + "." + declaration.group(1));
        }
    }

    private void scanProto(String source) {
        String code = source.replaceAll("//[^\\n]*", "");
        Matcher javaPackage = PROTO_JAVA_PACKAGE.matcher(code);
        String packageName = javaPackage.find() ? javaPackage.group(1) : "";
        if (!packageName.isEmpty()) {
            packages.add(packageName);
        }
        Matcher declaration = PROTO_DECLARATION.matcher(code);
        while (declaration.find()) {
            String kind = declaration.group(1);
            String name = declaration.group(2);
            types.add(name);
            if (!kind.equals("rpc")) {
                qualifiedTypes.add(packageName + "." + name);
            }
            if (kind.equals("service")) {
                types.add(name + "Grpc"); // the class grpc-java generates for a service
                qualifiedTypes.add(packageName + "." + name + "Grpc");
            }
        }
    }

    /** Java source with comments, string, text-block and char literals blanked, so only code declares types. */
    static String stripCommentsAndLiterals(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int j = i + 3;
                while (j < n && !src.startsWith("\"\"\"", j)) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = Math.min(n, j + 3);
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = Math.min(n, j + 1);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** GitHub's anchor for a heading: lower case, only letters, digits, marks, '_', '-' and spaces kept, spaces as '-'. */
    static String slug(String headingText) {
        String text = headingText.replaceAll("!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\([^)]*\\)", "$1")
                .replace("`", "")
                .toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp == ' ') {
                slug.append('-');
            } else if (cp == '-' || keptInSlug(cp)) {
                slug.appendCodePoint(cp);
            }
        });
        return slug.toString();
    }

    private static boolean keptInSlug(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }

    // ---- the Markdown, as far as these checks need it ----

    /** Links, reference definitions, code spans and heading anchors of a Markdown text, fenced code blocks left out. */
    record Document(List<Link> links, List<CodeSpan> codeSpans, Set<String> anchors) {

        record Link(int line, String target) {
        }

        record CodeSpan(int line, String content) {
        }

        static Document parse(String markdown) {
            String[] lines = markdown.split("\n", -1);
            StringBuilder prose = new StringBuilder(markdown.length());
            Set<String> anchors = new HashSet<>();
            Map<String, Integer> slugCounts = new HashMap<>();
            String fence = null;
            for (String line : lines) {
                Matcher fenceMatch = FENCE.matcher(line);
                if (fence == null && fenceMatch.find()) {
                    fence = fenceMatch.group(1);
                    prose.append('\n');
                    continue;
                }
                if (fence != null) {
                    String trimmed = line.strip();
                    char fenceChar = fence.charAt(0);
                    if (trimmed.startsWith(fence) && trimmed.chars().allMatch(ch -> ch == fenceChar)) {
                        fence = null;
                    }
                    prose.append('\n');
                    continue;
                }
                Matcher heading = ATX_HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1) == null ? "" : heading.group(1).strip());
                    int seen = slugCounts.merge(slug, 1, Integer::sum) - 1;
                    anchors.add(seen == 0 ? slug : slug + "-" + seen);
                }
                prose.append(line).append('\n');
            }

            String text = prose.toString();
            List<CodeSpan> spans = new ArrayList<>();
            char[] masked = text.toCharArray();
            int i = 0;
            while (i < text.length()) {
                if (text.charAt(i) != '`') {
                    i++;
                    continue;
                }
                int run = runLength(text, i);
                int close = findClosingRun(text, i + run, run);
                if (close < 0) {
                    i += run;
                    continue;
                }
                String content = text.substring(i + run, close).replace('\n', ' ');
                if (content.length() >= 2 && content.startsWith(" ") && content.endsWith(" ") && !content.isBlank()) {
                    content = content.substring(1, content.length() - 1);
                }
                spans.add(new CodeSpan(lineOf(text, i), content.strip()));
                for (int k = i; k < close + run; k++) {
                    if (masked[k] != '\n') {
                        masked[k] = 'x';
                    }
                }
                i = close + run;
            }

            String linkText = new String(masked);
            List<Link> links = new ArrayList<>();
            Matcher inline = INLINE_LINK.matcher(linkText);
            while (inline.find()) {
                links.add(new Link(lineOf(linkText, inline.start()), inline.group(2)));
            }
            String[] maskedLines = linkText.split("\n", -1);
            for (int l = 0; l < maskedLines.length; l++) {
                Matcher definition = REFERENCE_DEFINITION.matcher(maskedLines[l]);
                if (definition.find()) {
                    links.add(new Link(l + 1, definition.group(1)));
                }
            }
            links.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return new Document(List.copyOf(links), List.copyOf(spans), Set.copyOf(anchors));
        }

        private static int runLength(String text, int start) {
            int end = start;
            while (end < text.length() && text.charAt(end) == '`') {
                end++;
            }
            return end - start;
        }

        private static int findClosingRun(String text, int from, int length) {
            int i = from;
            while (i < text.length()) {
                if (text.charAt(i) == '\n' && text.substring(i + 1, lineEnd(text, i + 1)).isBlank()) {
                    return -1; // a blank line ends the paragraph: a code span never crosses it
                }
                if (text.charAt(i) == '`') {
                    int run = runLength(text, i);
                    if (run == length) {
                        return i;
                    }
                    i += run;
                } else {
                    i++;
                }
            }
            return -1;
        }

        private static int lineEnd(String text, int from) {
            int end = text.indexOf('\n', from);
            return end < 0 ? text.length() : end;
        }

        private static int lineOf(String text, int offset) {
            int line = 1;
            for (int k = 0; k < offset; k++) {
                if (text.charAt(k) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }
}
