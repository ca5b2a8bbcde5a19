package dev.realitycheck.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The safetensors format (what {@code safetensors.torch.save_file} writes): an 8-byte
 * little-endian header length, a JSON header {@code {name: {dtype, shape, data_offsets: [begin,
 * end]}}} (plus an optional {@code __metadata__} entry), then the raw little-endian data, offsets
 * counted from the end of the header. F32, F16 and BF16 tensors are read as float32, and so are
 * F64, I64 and I32 ones (PyTorch keeps BatchNorm's {@code num_batches_tracked} as I64); other
 * dtypes are refused by name.
 */
public final class SafetensorsFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A header larger than this is not a weight file's (the format's own reference limit). */
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsFile() {
    }

    /**
     * Reads every tensor.
     *
     * @param file a {@code .safetensors} file
     * @return the tensors by name, in the header's order
     * @throws IOException if it cannot be read or is not a well-formed safetensors file (the message
     *                     names the file and the problem)
     */
    public static SequencedMap<String, WeightTensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, length, 0, file);
            long headerLength = length.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLength
                        + " in a file of " + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, file);
            JsonNode root;
            try {
                root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": the safetensors header is not JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new IOException(file + ": the safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            SequencedMap<String, WeightTensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                tensors.put(e.getKey(), tensor(channel, file, e.getKey(), e.getValue(), dataStart, dataSize));
            }
            return tensors;
        }
    }

    private static WeightTensor tensor(FileChannel channel, Path file, String name, JsonNode entry, long dataStart,
                                       long dataSize) throws IOException {
        String where = file + ": tensor " + name;
        JsonNode shapeNode = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (!entry.path("dtype").isTextual() || shapeNode == null || !shapeNode.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + ": needs dtype, shape and data_offsets [begin, end]");
        }
        String dtype = entry.get("dtype").asText();
        int bytes = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IOException(where + ": dtype " + dtype
                    + " is not supported (F32, F16, BF16, F64, I64, I32 are)");
        };
        List<Integer> shape = new ArrayList<>();
        long count = 1;
        for (JsonNode d : shapeNode) {
            if (!d.canConvertToInt() || d.asInt() < 0) {
                throw new IOException(where + ": bad shape " + shapeNode);
            }
            shape.add(d.asInt());
            count *= d.asInt();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize || count > Integer.MAX_VALUE
                || end - begin != count * bytes) {
            throw new IOException(where + ": data_offsets " + offsets + " do not hold " + shape + " " + dtype
                    + " values within the " + dataSize + " data bytes");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, raw, dataStart + begin, file);
        raw.flip();
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dtype) {
                case "F32" -> raw.getFloat();
                case "F16" -> Float.float16ToFloat(raw.getShort());
                case "BF16" -> Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
                case "F64" -> (float) raw.getDouble();
                case "I64" -> (float) raw.getLong();
                default -> (float) raw.getInt();
            };
        }
        return new WeightTensor(name, shape, values);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path file) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException(file + ": ends early (truncated safetensors file)");
            }
            at += n;
        }
    }

    /**
     * Writes tensors as F32 in the given order (the header padded with spaces to a multiple of 8
     * bytes, as the reference implementation does).
     *
     * @param file    the file to create or replace
     * @param tensors the tensors, each under its own name
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, List<WeightTensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (WeightTensor t : tensors) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            t.shape().forEach(entry.putArray("shape")::add);
            entry.putArray("data_offsets").add(offset).add(offset + 4L * t.values().length);
            offset += 4L * t.values().length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head.flip());
            for (WeightTensor t : tensors) {
                ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(t.values());
                writeFully(out, data);
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
