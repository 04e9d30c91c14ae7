package io.swarmcdn.torrent.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class BencodeDecoderTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static BValue decode(String s) {
    return BencodeDecoder.decode(b(s));
  }

  @Test
  void decodesEveryType() {
    BDictionary d = (BDictionary) decode("d1:ai-42e1:bl4:spami0ee1:cd0:0:ee");
    assertThat(d.getLong("a")).isEqualTo(-42L);
    assertThat(d.getList("b").items()).containsExactly(BString.of("spam"), BInteger.of(0));
    BDictionary c = d.getDictionary("c");
    assertThat(c.getString("")).isEmpty();
    assertThat(d.getString("missing")).isNull();
  }

  @Test
  void extremeIntegers() {
    assertThat(decode("i9223372036854775807e")).isEqualTo(BInteger.of(Long.MAX_VALUE));
    assertThat(decode("i-9223372036854775808e")).isEqualTo(BInteger.of(Long.MIN_VALUE));
    assertError("i9223372036854775808e", "64 bits", 0);
    assertError("i-9223372036854775809e", "64 bits", 0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "i-0e|-0 is not canonical|0",
        "i03e|leading zero|0",
        "ie|no digits|0",
        "i-e|no digits|0",
        "i1x|unexpected byte 'x' in integer|2",
        "03:abc|leading zero|0",
        "4:abc|only 3 remain|0",
        "i1ei2e|trailing data|3",
        "d1:bi1e1:ai2ee|not sorted|7",
        "d1:ai1e1:ai2ee|duplicate dictionary key|7",
        "di1ei2ee|key must be a byte string|1",
        "d1:ae|has no value|4",
        "l|end of input|1",
        "x|unexpected byte 'x'|0",
        "''|end of input|0",
        "l1:a|end of input|4",
        "-1:a|unexpected byte '-'|0",
      })
  void rejectsMalformedOrNonCanonicalInputWithOffset(String input, String message, int offset) {
    assertError(input, message, offset);
  }

  @Test
  void keysAreSortedAsRawBytesNotAsSignedBytes() {
    // 0xC3 > 'z' as unsigned; a signed comparison would think it negative and reject this order.
    byte[] in = {'d', '1', ':', 'z', 'i', '1', 'e', '1', ':', (byte) 0xc3, 'i', '2', 'e', 'e'};
    BDictionary d = (BDictionary) BencodeDecoder.decode(in);
    assertThat(d.size()).isEqualTo(2);
    assertThat(BencodeEncoder.encode(d)).isEqualTo(in);
  }

  @Test
  void depthLimitStopsDeepNestingWithoutStackOverflow() {
    byte[] deep = new byte[2_000_000];
    Arrays.fill(deep, 0, 1_000_000, (byte) 'l');
    Arrays.fill(deep, 1_000_000, deep.length, (byte) 'e');
    assertThatThrownBy(() -> BencodeDecoder.decode(deep))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("nesting deeper than 64")
        .extracting(e -> ((BencodeException) e).offset())
        .isEqualTo(64);
    // With the limit lifted, the iterative decoder and encoder still cope (no recursion).
    BencodeLimits unlimited = BencodeLimits.DEFAULT.withMaxDepth(Integer.MAX_VALUE);
    BValue v = BencodeDecoder.decode(deep, unlimited);
    assertThat(BencodeEncoder.encode(v)).isEqualTo(deep);
  }

  @Test
  void hugeDeclaredStringLengthIsRejectedBeforeAllocating() {
    assertError("100000:abc", "string of 100000 bytes but only 3 remain", 0);
    assertError("2147483647:abc", "string longer than the limit", 0);
    assertThatThrownBy(() -> decode("99999999999999999999999:x"))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("string longer than the limit");
  }

  @Test
  void limitsOnStringLengthItemsAndTotalSize() {
    BencodeLimits small = new BencodeLimits(8, 20, 3, 4);
    assertThat(BencodeDecoder.decode(b("3:abc"), small)).isEqualTo(BString.of("abc"));
    assertThatThrownBy(() -> BencodeDecoder.decode(b("4:abcd"), small))
        .hasMessageContaining("string longer than the limit of 3");
    assertThatThrownBy(() -> BencodeDecoder.decode(b("li1ei2ei3ei4ee"), small))
        .hasMessageContaining("more than 4 values")
        .extracting(e -> ((BencodeException) e).offset())
        .isEqualTo(10);
    assertThatThrownBy(() -> BencodeDecoder.decode(b("l1:a1:a1:a1:a1:a1:aee"), small))
        .hasMessageContaining("exceeds the limit of 20");
  }

  @Test
  void decodePrefixReportsWhereTheValueEnds() {
    byte[] msg = b("XXd8:msg_typei1e5:piecei0eeRAWBYTES");
    BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(msg, 2, BencodeLimits.DEFAULT);
    assertThat(((BDictionary) p.value()).getLong("msg_type")).isEqualTo(1L);
    assertThat(new String(msg, p.end(), msg.length - p.end(), StandardCharsets.ISO_8859_1))
        .isEqualTo("RAWBYTES");
  }

  @Test
  void prefixSizeLimitAppliesToTheValueNotTheWholeBuffer() {
    byte[] msg = b("d1:ai1ee" + "x".repeat(100));
    BencodeLimits limits = BencodeLimits.DEFAULT.withMaxTotalSize(8);
    assertThat(BencodeDecoder.decodePrefix(msg, 0, limits).end()).isEqualTo(8);
    assertThatThrownBy(() -> BencodeDecoder.decodePrefix(b("d1:ai10ee"), 0, limits))
        .hasMessageContaining("longer than the limit of 8");
  }

  @Test
  void spansGiveTheExactRawBytesOfValues() {
    byte[] ok = b("d4:infod1:xi1ee4:zzzzlee");
    BDictionary d = (BDictionary) BencodeDecoder.decode(ok);
    ByteSpan span = d.span("info");
    assertThat(new String(span.copyFrom(ok), StandardCharsets.ISO_8859_1)).isEqualTo("d1:xi1ee");
    assertThat(new String(d.span("zzzz").copyFrom(ok), StandardCharsets.ISO_8859_1)).isEqualTo("le");
    assertThat(d.span("nope")).isNull();
  }

  @Test
  void wrongTypeNamesTheKeyAndOffset() {
    BDictionary d = (BDictionary) decode("d1:a3:xyze");
    assertThatThrownBy(() -> d.getLong("a"))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("'a' must be an integer, found a byte string")
        .extracting(e -> ((BencodeException) e).offset())
        .isEqualTo(4);
  }

  @Test
  void randomValuesRoundTripByteExactly() {
    Random random = new Random(42);
    for (int n = 0; n < 300; n++) {
      BValue v = randomValue(random, 0);
      byte[] encoded = BencodeEncoder.encode(v);
      BValue decoded = BencodeDecoder.decode(encoded);
      assertThat(decoded).isEqualTo(v);
      assertThat(BencodeEncoder.encode(decoded)).isEqualTo(encoded);
    }
  }

  @Test
  void randomGarbageNeverEscapesAsAnotherException() {
    Random random = new Random(7);
    byte[] alphabet = b("ilde0123456789:-x");
    for (int n = 0; n < 20_000; n++) {
      byte[] in = new byte[random.nextInt(24)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[random.nextInt(alphabet.length)];
      }
      try {
        BValue v = BencodeDecoder.decode(in);
        assertThat(BencodeEncoder.encode(v)).isEqualTo(in);
      } catch (BencodeException expected) {
        assertThat(expected.offset()).isBetween(0, in.length);
      }
    }
  }

  private static BValue randomValue(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(2) : r.nextInt(4);
    switch (kind) {
      case 0:
        byte[] bytes = new byte[r.nextInt(6)];
        r.nextBytes(bytes);
        return BString.of(bytes);
      case 1:
        return BInteger.of(r.nextBoolean() ? r.nextLong() : r.nextInt(21) - 10);
      case 2:
        BValue[] items = new BValue[r.nextInt(4)];
        for (int i = 0; i < items.length; i++) {
          items[i] = randomValue(r, depth + 1);
        }
        return BList.of(items);
      default:
        BDictionary.Builder b = BDictionary.builder();
        for (int i = r.nextInt(4); i > 0; i--) {
          byte[] key = new byte[r.nextInt(4)];
          r.nextBytes(key);
          b.put(BString.of(key), randomValue(r, depth + 1));
        }
        return b.build();
    }
  }

  private static void assertError(String input, String message, int offset) {
    assertThatThrownBy(() -> decode(input))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((BencodeException) e).offset())
        .isEqualTo(offset);
  }
}
