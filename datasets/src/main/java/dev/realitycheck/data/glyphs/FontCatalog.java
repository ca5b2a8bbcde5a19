package dev.realitycheck.data.glyphs;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The typefaces of one or more font directories: every {@code .ttf}, {@code .otf} and
 * {@code .ttc} file below them (recursively), sorted by path, so the same files always give the
 * same typefaces in the same order. A face whose name was already seen (the same font installed
 * twice) is skipped, as are faces whose family matches {@link GlyphParams#excludedFamilies()}
 * (symbol fonts that put other shapes on letter code points) and files Java cannot load.
 *
 * @param typefaces the usable typefaces, in order
 * @param files     the font files found, sorted (also those that gave no usable typeface)
 * @param skipped   one line per skipped file or face, saying why
 */
public record FontCatalog(List<Typeface> typefaces, List<Path> files, List<String> skipped) {

    /** Copies the lists. */
    public FontCatalog {
        typefaces = List.copyOf(typefaces);
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    /**
     * @param directories the directories to scan
     * @return the sorted font files below them
     * @throws NoSuchFileException saying which directory is missing and how to fill it
     * @throws IOException         if a directory cannot be read
     */
    public static List<Path> fontFiles(List<Path> directories) throws IOException {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("no font directory given");
        }
        List<Path> files = new ArrayList<>();
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "font directory does not exist; install fonts"
                        + " (Debian: apt-get install " + String.join(" ", GlyphParams.DEBIAN_FONT_PACKAGES)
                        + ") or name a directory of TTF/OTF files");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).filter(FontCatalog::isFontFile).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing(Path::toString));
        return files.stream().distinct().toList();
    }

    private static boolean isFontFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".ttf") || name.endsWith(".otf") || name.endsWith(".ttc");
    }

    /**
     * Scans and loads.
     *
     * @param params the font directories and excluded families
     * @return the catalog
     * @throws NoSuchFileException if a directory is missing
     * @throws IOException         if a directory cannot be read
     */
    public static FontCatalog scan(GlyphParams params) throws IOException {
        GlyphRenderer.headless();
        List<Path> files = fontFiles(params.fontDirectories());
        List<Typeface> typefaces = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            Font[] fonts;
            try {
                fonts = Font.createFonts(file.toFile());
            } catch (FontFormatException | IOException e) {
                skipped.add(file + ": cannot be loaded (" + e.getMessage() + ")");
                continue;
            }
            for (int i = 0; i < fonts.length; i++) {
                Typeface face = new Typeface(file, i, fonts[i]);
                String family = face.family().toLowerCase(Locale.ROOT);
                if (params.excludedFamilies().stream().anyMatch(x -> family.contains(x.toLowerCase(Locale.ROOT)))) {
                    skipped.add(file + "#" + i + " (" + face.name() + "): excluded family");
                } else if (!names.add(face.name())) {
                    skipped.add(file + "#" + i + " (" + face.name() + "): same name as an earlier face");
                } else {
                    typefaces.add(face);
                }
            }
        }
        return new FontCatalog(typefaces, files, skipped);
    }
}
