package dev.realitycheck.proto.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The spec's percent-encoding of status messages (the grpc-js side is tested in e2e against a service). */
class SpecEncodedStatusMessagesTest {

    @Test
    void printableAsciiOtherThanPercentTravelsAsIs() {
        String message = "items[0].tensor.values has 10 values, the model expects 784 (shape [28, 28, 1]); a:b/c?d&e=f+g#h$i@j~*'!";
        assertThat(SpecEncodedStatusMessages.encode(message)).isEqualTo(message);
    }

    @Test
    void percentControlAndNonAsciiBytesAreEscapedAndDecodeBack() {
        String message = "100% done\nnaïve → ok";
        String encoded = SpecEncodedStatusMessages.encode(message);
        assertThat(encoded).isEqualTo("100%25 done%0Ana%C3%AFve %E2%86%92 ok");
        assertThat(encoded.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
        // no '+' in the encoded text, so a form decoder is a plain percent decoder here
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(message);
    }
}
