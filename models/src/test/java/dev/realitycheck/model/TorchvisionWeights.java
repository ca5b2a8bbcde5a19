package dev.realitycheck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random weights in the names, shapes and layouts a PyTorch {@code state_dict()} of a pretrained
 * trunk has (torchvision's ResNets with {@code fc.*}, Cadene's BN-Inception with
 * {@code last_linear.*}, and {@code num_batches_tracked}), as a file exported from PyTorch holds
 * them: He-scaled kernels, BatchNorm statistics away from the identity.
 */
final class TorchvisionWeights {

    private TorchvisionWeights() {
    }

    static List<WeightTensor> of(ResNetArchitecture resnet, long seed) {
        List<WeightTensor> tensors = trunk(resnet, resnet, seed);
        tensors.add(new WeightTensor("fc.weight", List.of(1000, resnet.variant().features()),
                new float[1000 * resnet.variant().features()]));
        tensors.add(new WeightTensor("fc.bias", List.of(1000), new float[1000]));
        return tensors;
    }

    static List<WeightTensor> of(BnInceptionArchitecture bnInception, long seed) {
        List<WeightTensor> tensors = trunk(bnInception, bnInception, seed);
        int features = BnInceptionArchitecture.FEATURES;
        tensors.add(new WeightTensor("last_linear.weight", List.of(1000, features), new float[1000 * features]));
        tensors.add(new WeightTensor("last_linear.bias", List.of(1000), new float[1000]));
        return tensors;
    }

    /** The trunk's tensors, without the classifier. */
    private static List<WeightTensor> trunk(Architecture architecture, PretrainedTrunk trunk, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<WeightTensor> tensors = new ArrayList<>();
        java.util.Map<String, VariableSpec> specs = new java.util.HashMap<>();
        architecture.variables().forEach(v -> specs.put(v.name(), v));
        trunk.weightSources().forEach((variable, source) -> {
            VariableSpec spec = specs.get(variable);
            List<Integer> shape = source.layout().fileShape(spec.shape());
            float[] v = new float[spec.size()];
            String name = source.tensor();
            double fanIn = spec.fanIn();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (name.endsWith("running_var") ? random.nextDouble(0.5, 1.5)
                        : name.endsWith("running_mean") || name.endsWith("bias") ? random.nextDouble(-0.2, 0.2)
                        : shape.size() == 1 ? random.nextDouble(0.8, 1.2)
                        : random.nextGaussian() * Math.sqrt(2 / fanIn));
            }
            tensors.add(new WeightTensor(name, shape, v));
            if (name.endsWith("running_var")) {
                String bn = name.substring(0, name.length() - "running_var".length());
                tensors.add(new WeightTensor(bn + "num_batches_tracked", List.of(), new float[] {1}));
            }
        });
        return tensors;
    }
}
