package dev.realitycheck.model;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Keras weight files ({@code .h5}) read through the pure-Java HDF5 reader jHDF, both layouts
 * Keras writes:
 * <ul>
 *   <li>Keras 3 ({@code model.save_weights("x.weights.h5")}): {@code layers/<layer>/vars/<i>}
 *       ({@code _layer_checkpoint_dependencies/<layer>/vars/<i>} in its first releases);</li>
 *   <li>Keras 2 / tf.keras ({@code save_weights("x.h5")}, and the files
 *       {@code keras.applications} downloads): {@code <layer>/<layer>/<weight>:0} (also under
 *       {@code model_weights/} in a whole-model file).</li>
 * </ul>
 * Either way a tensor is named {@code <layer>/vars/<i>}, {@code i} the weight's position in its
 * layer; Keras 2's names are put in Keras' order ({@code kernel, bias} for convolutions and dense
 * layers; {@code gamma, beta, moving_mean, moving_variance} for BatchNorm). Layers without weights
 * are left out. Float64 datasets are narrowed to float32.
 */
public final class KerasH5File {

    private static final List<String> KERAS2_ORDER =
            List.of("kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance");

    private KerasH5File() {
    }

    /**
     * @param file a Keras {@code .h5} weight file
     * @return its tensors as {@code <layer>/vars/<i>}, layers in the file's order
     * @throws IOException if it cannot be read or holds a weight this reader cannot place
     */
    public static SequencedMap<String, WeightTensor> read(Path file) throws IOException {
        try (HdfFile hdf = new HdfFile(file)) {
            SequencedMap<String, WeightTensor> tensors = new LinkedHashMap<>();
            Group root = hdf;
            if (root.getChild("model_weights") instanceof Group g) {
                root = g;
            }
            Node keras3 = root.getChild("layers") != null ? root.getChild("layers")
                    : root.getChild("_layer_checkpoint_dependencies");
            if (keras3 instanceof Group layers && layers.getChild("vars") == null) {
                for (Node layer : layers) {
                    if (layer instanceof Group g && g.getChild("vars") instanceof Group vars) {
                        List<Dataset> ordered = new ArrayList<>();
                        for (Node v : vars) {
                            if (v instanceof Dataset d) {
                                ordered.add(d);
                            }
                        }
                        ordered.sort(Comparator.comparingInt(d -> index(file, d)));
                        add(tensors, file, layer.getName(), ordered);
                    }
                }
            } else {
                for (Node layer : root) {
                    if (layer instanceof Group g) {
                        List<Dataset> weights = new ArrayList<>();
                        collect(g, weights);
                        weights.sort(Comparator.comparingInt(d -> keras2Position(file, d)));
                        add(tensors, file, layer.getName(), weights);
                    }
                }
            }
            return tensors;
        } catch (HdfException e) {
            throw new IOException(file + ": not a readable HDF5 weight file: " + e.getMessage(), e);
        }
    }

    private static void add(SequencedMap<String, WeightTensor> tensors, Path file, String layer, List<Dataset> weights)
            throws IOException {
        for (int i = 0; i < weights.size(); i++) {
            String name = layer + "/vars/" + i;
            tensors.put(name, tensor(file, name, weights.get(i)));
        }
    }

    private static void collect(Group group, List<Dataset> into) {
        for (Node n : group) {
            if (n instanceof Dataset d) {
                into.add(d);
            } else if (n instanceof Group g) {
                collect(g, into);
            }
        }
    }

    private static int index(Path file, Dataset d) {
        try {
            return Integer.parseInt(d.getName());
        } catch (NumberFormatException e) {
            throw new HdfException(file + ": " + d.getPath() + " is not a numbered Keras 3 weight");
        }
    }

    private static int keras2Position(Path file, Dataset d) {
        String name = d.getName();
        int colon = name.indexOf(':');
        int at = KERAS2_ORDER.indexOf(colon < 0 ? name : name.substring(0, colon));
        if (at < 0) {
            throw new HdfException(file + ": " + d.getPath() + " is not a weight this reader knows "
                    + KERAS2_ORDER);
        }
        return at;
    }

    private static WeightTensor tensor(Path file, String name, Dataset d) throws IOException {
        Object data = d.getDataFlat();
        float[] values = switch (data) {
            case float[] f -> f;
            case double[] doubles -> {
                float[] f = new float[doubles.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) doubles[i];
                }
                yield f;
            }
            default -> throw new IOException(file + ": " + d.getPath() + " holds " + d.getJavaType()
                    + ", not floating-point weights");
        };
        return new WeightTensor(name, Arrays.stream(d.getDimensions()).boxed().toList(), values);
    }
}
