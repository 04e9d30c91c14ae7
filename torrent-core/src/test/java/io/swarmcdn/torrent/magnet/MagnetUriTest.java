package io.swarmcdn.torrent.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class MagnetUriTest {
  private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
  // RFC 4648 base32 of the same 20 bytes.
  private static final String B32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

  @Test
  void parsesHexAndBase32InfoHashesInEitherCase() {
    assertThat(MagnetUri.parse("magnet:?xt=urn:btih:" + HEX).infoHash().hex()).isEqualTo(HEX);
    assertThat(MagnetUri.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase()).infoHash().hex()).isEqualTo(HEX);
    assertThat(MagnetUri.parse("magnet:?xt=urn:btih:" + B32).infoHash().hex()).isEqualTo(HEX);
    assertThat(MagnetUri.parse("MAGNET:?xt=URN:BTIH:" + B32.toLowerCase()).infoHash().hex()).isEqualTo(HEX);
  }

  @Test
  void parsesAllFieldsWithPercentDecodingAndIgnoresUnknownOnes() {
    MagnetUri m =
        MagnetUri.parse(
            "magnet:?xt=urn:btih:" + HEX
                + "&dn=My+Film%20%C3%A9t%C3%A9.mp4&x.pe=1.2.3.4:5&tr=udp%3A%2F%2Ft1%3A80"
                + "&tr.1=http://t2/announce&ws=https%3A%2F%2Forigin%2Fmedia%2Ff.mp4"
                + "&xs=https://origin/t.torrent&xl=12345&so=0-3&&xt=urn:btmh:1220abcd");
    assertThat(m.displayName()).isEqualTo("My Film été.mp4");
    assertThat(m.trackers()).containsExactly("udp://t1:80", "http://t2/announce");
    assertThat(m.webSeeds()).containsExactly("https://origin/media/f.mp4");
    assertThat(m.exactSource()).isEqualTo("https://origin/t.torrent");
    assertThat(m.exactLength()).isEqualTo(12345L);
  }

  @Test
  void buildsAFullyEncodedUriThatParsesBack() {
    MagnetUri m =
        MagnetUri.builder()
            .infoHash(InfoHash.fromHex(HEX))
            .displayName("a b&c=d/é+")
            .tracker("wss://origin/announce?x=1&y=2")
            .webSeed("https://origin/media/a b.mp4")
            .exactSource("https://origin/torrents/" + HEX + ".torrent")
            .exactLength(7)
            .build();
    String s = m.toString();
    assertThat(s)
        .startsWith("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b%26c%3Dd%2F%C3%A9%2B&xl=7&tr=wss%3A%2F%2Forigin%2Fannounce%3Fx%3D1%26y%3D2");
    assertThat(s).contains("&ws=https%3A%2F%2Forigin%2Fmedia%2Fa%20b.mp4");
    MagnetUri back = MagnetUri.parse(s);
    assertThat(back).isEqualTo(m);
    assertThat(back.displayName()).isEqualTo("a b&c=d/é+");
  }

  @Test
  void ofTorrent() {
    Metainfo t = TorrentBuilder.singleFile("f.mp4", 10).tracker("http://t").webSeed("http://w/f.mp4")
        .build(new byte[20]);
    MagnetUri m = MagnetUri.of(t);
    assertThat(m.infoHash()).isEqualTo(t.infoHash());
    assertThat(m.displayName()).isEqualTo("f.mp4");
    assertThat(m.exactLength()).isEqualTo(10L);
    assertThat(m.trackers()).containsExactly("http://t");
    assertThat(m.webSeeds()).containsExactly("http://w/f.mp4");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "http://x|not a magnet URI",
        "magnet:?dn=x|no 'xt=urn:btih:'",
        "magnet:?xt=urn:btih:abc|40 hex or 32 base32",
        "magnet:?xt=urn:btih:" + "zz" + "c12fe1c06bba254a9dc9f519b335aa7c1367a8|not a hex info-hash",
        "magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1|invalid base32 character '1'",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%zz|malformed percent-escape in 'dn'",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&tr=%4|malformed percent-escape in 'tr'",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xl=-1|'xl' must be a non-negative",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xl=ten|'xl' must be a non-negative",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btih:0000000000000000000000000000000000000000|two different",
      })
  void rejectsBadInputWithAClearMessage(String uri, String message) {
    assertThatThrownBy(() -> MagnetUri.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
