package dev.realitycheck.model;

/**
 * The order of the three colour channels a model's trunk expects in its input: {@link #RGB} for
 * the networks of this project and Keras/torchvision ImageNet trunks, {@link #BGR} for Caffe-born
 * trunks such as BN-Inception. A caller feeding a model reorders decoded RGB pixels to this order.
 */
public enum ColourOrder {
    /** Red, green, blue: channel 0 is red. */
    RGB,
    /** Blue, green, red: channel 0 is blue. */
    BGR;

    /**
     * @param channel a channel of the model's input, 0..2
     * @return the RGB channel (0 red, 1 green, 2 blue) that feeds it
     */
    public int sourceChannel(int channel) {
        if (channel < 0 || channel > 2) {
            throw new IllegalArgumentException("a colour channel is 0, 1 or 2, was " + channel);
        }
        return this == RGB ? channel : 2 - channel;
    }
}
