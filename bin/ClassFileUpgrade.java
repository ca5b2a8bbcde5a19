import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code java bin/ClassFileUpgrade.java OUT_DIR JAR...} (JDK 24+, the JDK's own class-file API): for each jar
 * that holds class files older than version 50 (Java 6), writes a copy to OUT_DIR, under the same name, whose
 * class files are version 52 (Java 8) with the stack-map frames that version needs; the bytecode, every other
 * class and every other entry stay as they are. Jars without such classes are left out. Prints one line per jar
 * written.
 *
 * <p>Why: the JDK 25 class archives (the CDS archive the build writes, and the AOT cache) skip classes
 * older than version 50 ("Old class has been linked"), and picocli
 * is compiled for Java 5. {@code bin/aot-cache --evaluate} runs this on {@code evaluate}'s class path before
 * its training run, and {@code rc_evaluate_classpath} (bin/jdk.sh) then puts the copies in place of the
 * originals, so that {@code evaluate}'s archive holds its command-line parser too. Stack maps are computed from
 * the class hierarchy of the jar itself and the JDK; a class that refers to a type found in neither stops this
 * with an error rather than being written without frames.
 */
public final class ClassFileUpgrade {

    /** Class files from this version on carry stack maps and are kept by the class archive. */
    private static final int FIRST_CACHEABLE = ClassFile.JAVA_6_VERSION;

    private ClassFileUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java bin/ClassFileUpgrade.java OUT_DIR JAR...");
            System.exit(2);
        }
        Path outDir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path jar = Path.of(args[i]);
            Map<String, byte[]> entries = read(jar);
            int old = upgrade(entries);
            if (old > 0) {
                Files.createDirectories(outDir);
                write(entries, outDir.resolve(jar.getFileName()));
                System.out.println("class-file-upgrade: " + jar.getFileName() + ": " + old + " classes to version "
                        + ClassFile.JAVA_8_VERSION);
            }
        }
    }

    /** Raises every class file older than {@link #FIRST_CACHEABLE} in place; returns how many there were. */
    private static int upgrade(Map<String, byte[]> entries) {
        ClassFile plain = ClassFile.of();
        Map<ClassDesc, ClassHierarchyResolver.ClassHierarchyInfo> hierarchy = new HashMap<>();
        Map<String, ClassModel> old = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!isClass(e.getKey())) {
                continue;
            }
            ClassModel model = plain.parse(e.getValue());
            hierarchy.put(model.thisClass().asSymbol(), model.flags().has(AccessFlag.INTERFACE)
                    ? ClassHierarchyResolver.ClassHierarchyInfo.ofInterface()
                    : ClassHierarchyResolver.ClassHierarchyInfo.ofClass(
                            model.superclass().map(c -> c.asSymbol()).orElse(null)));
            if (model.majorVersion() < FIRST_CACHEABLE) {
                old.put(e.getKey(), model);
            }
        }
        ClassHierarchyResolver ownClasses = hierarchy::get;
        ClassFile framed = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ownClasses)),
                ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
        // re-emitting every method body (ACCEPT_ALL) is what makes the writer compute its frames
        ClassTransform toJava8 = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen((builder, element) -> {
                    if (element instanceof ClassFileVersion) {
                        builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
                    } else {
                        builder.with(element);
                    }
                });
        for (Map.Entry<String, ClassModel> e : old.entrySet()) {
            entries.put(e.getKey(), framed.transformClass(e.getValue(), toJava8));
        }
        return old.size();
    }

    /** A class of the jar's own (not module-info, which has no code, nor a versioned copy's). */
    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/");
    }

    private static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static void write(Map<String, byte[]> entries, Path jar) throws IOException {
        Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
