package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whitespace-separated text index files of CUB ({@code images.txt} ...) and SOP
 * ({@code Ebay_train.txt} ...): blank lines skipped, every other line split into at least a given
 * number of fields; errors name the file and line.
 */
final class IndexLines {

    private IndexLines() {
    }

    /**
     * @param file       the index file
     * @param fields     fields each line must have (at least)
     * @param skipHeader whether the first non-blank line is a header
     * @return the lines' fields; the last field keeps any further spaces (paths)
     */
    static List<String[]> read(Path file, int fields, boolean skipHeader) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": missing");
        }
        List<String[]> rows = new ArrayList<>();
        boolean header = skipHeader;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] parts = line.split("\\s+", fields);
            if (parts.length < fields) {
                throw new IOException(file + ":" + (i + 1) + ": expected " + fields + " fields, got '" + line + "'");
            }
            rows.add(parts);
        }
        return rows;
    }

    /** Parses a field as an integer id, naming the file on failure. */
    static int id(Path file, String field) throws IOException {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": expected an integer id, got '" + field + "'");
        }
    }
}
