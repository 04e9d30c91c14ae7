package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonTextTest {

  private final JsonMapper jackson = JsonMapper.builder().build();

  /** The hand-built replies must stay byte-identical to what Jackson wrote before. */
  @Test
  void everyBinaryStringCharIsEscapedExactlyLikeJackson() {
    for (char c = 0; c <= 0xff; c++) {
      String value = "a" + c + "z";
      assertThat(JsonText.appendString(new StringBuilder(), value).toString())
          .as("U+%04X", (int) c)
          .isEqualTo(jackson.writeValueAsString(value));
    }
  }

  /** The byte form used for relayed messages: the same text, in UTF-8. */
  @Test
  void binaryStringBytesAreTheUtf8OfTheEscapedText() {
    for (char c = 0; c <= 0xff; c++) {
      String value = "a" + c + "z";
      byte[] out = new byte[JsonText.maxBinaryStringBytes(value.length())];
      int length = JsonText.writeBinaryString(out, 0, value);
      assertThat(JsonText.binaryStringBytes(value)).isEqualTo(length);
      assertThat(new String(out, 0, length, java.nio.charset.StandardCharsets.UTF_8))
          .as("U+%04X", (int) c)
          .isEqualTo(jackson.writeValueAsString(value));
    }
  }

  @Test
  void escapedStringsRoundTripThroughAParser() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c <= 0xff; c++) {
      all.append(c);
    }
    String json = JsonText.appendString(new StringBuilder(), all.toString()).toString();
    assertThat(jackson.readValue(json, String.class)).isEqualTo(all.toString());
  }
}
