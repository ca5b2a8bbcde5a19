package dev.realitycheck.trainer;

import org.jboss.logging.Logger;

/**
 * Which device TensorFlow trains on. The CPU build ({@code tensorflow-core-native}
 * {@code linux-x86_64}) has only the CPU; the {@code -Pgpu} build ({@code linux-x86_64-gpu})
 * places ops on {@code /GPU:0} when CUDA finds a device and falls back to the CPU otherwise (its
 * own log says which). Told apart by which native runtime is on the class path.
 */
public final class TrainerDevice {

    /** The TensorFlow Java version this build uses. */
    public static final String TENSORFLOW_JAVA = "1.1.0";

    private static final Logger LOG = Logger.getLogger(TrainerDevice.class);

    private TrainerDevice() {
    }

    /** @return whether the CUDA build of the native runtime is on the class path */
    public static boolean gpuRuntime() {
        return TrainerDevice.class.getClassLoader()
                .getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/") != null;
    }

    /** @return what the trainer trains on, for logs */
    public static String describe() {
        return gpuRuntime() ? "GPU (CUDA native runtime linux-x86_64-gpu; /GPU:0 when CUDA finds a device, else CPU)"
                : "CPU (native runtime without CUDA; build with -Pgpu for a GPU)";
    }

    /** Logs the device (the trainer loop, once, when it starts training). */
    public static void log() {
        LOG.infof("trainer trains on: %s, TensorFlow %s", describe(), org.tensorflow.TensorFlow.version());
    }
}
