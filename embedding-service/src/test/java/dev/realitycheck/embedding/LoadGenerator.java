package dev.realitycheck.embedding;

import dev.realitycheck.embedding.grpc.PackedFloats;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.VectorEncoding;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Drives Embed over real gRPC with N clients (one channel each) and measures throughput and latency. */
final class LoadGenerator {

    /** Items per second and request latency percentiles (ms) of one run. */
    record Result(String name, int clients, int batch, double itemsPerSecond, double p50Millis, double p99Millis,
                  long requests) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-34s clients=%2d batch=%3d  %9.0f items/s  p50 %7.3f ms  p99 %7.3f ms"
                    + "  (%d requests)", name, clients, batch, itemsPerSecond, p50Millis, p99Millis, requests);
        }
    }

    private LoadGenerator() {
    }

    /**
     * A request of {@code batch} random 8-bit pixel items; {@code encoding} {@code packed}: tensors in
     * {@code float32_le}, {@code uint8}: one byte per value, {@code floats}: repeated floats; vectors are
     * asked for in the packed form except with {@code floats}.
     */
    static EmbedRequest request(List<Integer> shape, int batch, long seed, String encoding) {
        if (!List.of("packed", "uint8", "floats").contains(encoding)) {
            throw new IllegalArgumentException("encoding is " + encoding + ": use packed, uint8 or floats");
        }
        int size = shape.stream().mapToInt(Integer::intValue).reduce(1, (x, y) -> x * y);
        Random random = new Random(seed);
        EmbedRequest.Builder b = EmbedRequest.newBuilder();
        if (!encoding.equals("floats")) {
            b.setVectorEncoding(VectorEncoding.VECTOR_ENCODING_FLOAT32_LE);
        }
        float[] values = new float[size];
        byte[] pixels = new byte[size];
        for (int i = 0; i < batch; i++) {
            DenseTensor.Builder t = DenseTensor.newBuilder();
            shape.forEach(d -> t.addShape(d));
            for (int j = 0; j < size; j++) {
                values[j] = random.nextInt(256);
                pixels[j] = (byte) values[j];
            }
            switch (encoding) {
                case "packed" -> t.setFloat32Le(PackedFloats.pack(values, 0, size));
                case "uint8" -> t.setUint8(com.google.protobuf.ByteString.copyFrom(pixels));
                default -> {
                    for (float v : values) {
                        t.addValues(v);
                    }
                }
            }
            b.addItems(Item.newBuilder().setTensor(t));
        }
        return b.build();
    }

    /** One blocking call on a stub. */
    @FunctionalInterface
    interface Call {
        void call(EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub);
    }

    /** Warms up, then runs {@code clients} closed-loop Embed clients for {@code seconds}. */
    static Result grpc(String name, String host, int port, List<Integer> shape, int clients, int batch, double seconds)
            throws Exception {
        EmbedRequest request = request(shape, batch, 1, EmbedBenchmarkSupport.ENCODING);
        return grpc(name, host, port, clients, batch, seconds, stub -> stub.embed(request));
    }

    /** Warms up, then runs {@code clients} closed-loop clients of {@code call} for {@code seconds}. */
    static Result grpc(String name, String host, int port, int clients, int batch, double seconds, Call request)
            throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int c = 0; c < clients; c++) {
                channels.add(ManagedChannelBuilder.forAddress(host, port).usePlaintext().build());
            }
            run(channels, pool, request, 1.0);
            long start = System.nanoTime();
            long[] latencies = run(channels, pool, request, seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            return new Result(name, clients, batch, latencies.length * (double) batch / elapsed,
                    percentile(latencies, 0.5) / 1e6, percentile(latencies, 0.99) / 1e6, latencies.length);
        } finally {
            pool.shutdownNow();
            for (ManagedChannel ch : channels) {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static long[] run(List<ManagedChannel> channels, ExecutorService pool, Call request, double seconds)
            throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        for (ManagedChannel ch : channels) {
            futures.add(pool.submit(() -> {
                EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = EmbeddingServiceGrpc.newBlockingStub(ch);
                long[] lat = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    request.call(stub.withDeadlineAfter(EmbedBenchmarkSupport.DEADLINE_SECONDS, TimeUnit.SECONDS));
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        return all.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** One measured slice: every request's latency (ns) and the slice's wall time (s). */
    record Slice(long[] latencies, double seconds) {
    }

    /**
     * {@code count} closed-loop clients (one channel and thread each) against one server, kept open
     * across slices so that scenarios on several servers can be measured in alternating slices: on a
     * shared machine the load drifts, and alternating gives each server the same mix of quiet and busy
     * moments.
     */
    static final class Clients implements AutoCloseable {
        private final List<ManagedChannel> channels = new ArrayList<>();
        private final ExecutorService pool;

        Clients(String host, int port, int count) {
            pool = Executors.newFixedThreadPool(count);
            for (int c = 0; c < count; c++) {
                channels.add(ManagedChannelBuilder.forAddress(host, port).usePlaintext().build());
            }
        }

        /** Runs every client for {@code seconds}. */
        Slice run(Call call, double seconds) throws Exception {
            long start = System.nanoTime();
            long[] latencies = LoadGenerator.run(channels, pool, call, seconds);
            return new Slice(latencies, (System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() throws InterruptedException {
            pool.shutdownNow();
            for (ManagedChannel ch : channels) {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Throughput and latency over several slices together. */
    static Result summarize(String name, int clients, int batch, List<Slice> slices) {
        long[] all = slices.stream().flatMapToLong(s -> Arrays.stream(s.latencies())).sorted().toArray();
        double seconds = slices.stream().mapToDouble(Slice::seconds).sum();
        return new Result(name, clients, batch, all.length * (double) batch / seconds, percentile(all, 0.5) / 1e6,
                percentile(all, 0.99) / 1e6, all.length);
    }

    /** One in-process slice: one thread, batches of {@code batch}, for {@code seconds}. */
    static Slice inProcessSlice(SavedModelEmbedder model, float[] inputs, int batch, double seconds) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long[] lat = new long[1024];
        int n = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            model.embed(inputs, batch);
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = System.nanoTime() - t0;
        }
        return new Slice(Arrays.copyOf(lat, n), (System.nanoTime() - start) / 1e9);
    }

    /** In-process throughput of the model itself (the ceiling): one thread, batches of {@code batch}. */
    static Result inProcess(SavedModelEmbedder model, int batch, double seconds) {
        float[] inputs = new float[batch * model.inputSize()];
        Random random = new Random(2);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextInt(256);
        }
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) {
            model.embed(inputs, batch);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Long> lat = new ArrayList<>();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            model.embed(inputs, batch);
            lat.add(System.nanoTime() - t0);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result("in-process SavedModelEmbedder", 1, batch, sorted.length * (double) batch / elapsed,
                percentile(sorted, 0.5) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.length);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
