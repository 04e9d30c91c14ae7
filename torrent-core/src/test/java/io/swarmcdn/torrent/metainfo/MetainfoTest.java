package io.swarmcdn.torrent.metainfo;

import static io.swarmcdn.torrent.metainfo.TestTorrents.multiFileInfo;
import static io.swarmcdn.torrent.metainfo.TestTorrents.sha1;
import static io.swarmcdn.torrent.metainfo.TestTorrents.singleFileInfo;
import static io.swarmcdn.torrent.metainfo.TestTorrents.torrent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class MetainfoTest {
  private static final int PL = 16 * 1024;

  @Test
  void singleFileTorrentWithAllOptionalFields() {
    BDictionary info = singleFileInfo("movie.mp4", 3 * PL + 5, PL).build();
    byte[] file =
        BencodeEncoder.encode(
            BDictionary.builder()
                .put("info", info)
                .put("announce", "http://t/announce")
                .put("announce-list", List.of(List.of("http://a", "http://b"), List.of("udp://c")))
                .put("url-list", "https://origin/media/movie.mp4")
                .put("comment", "hello")
                .put("created by", "test")
                .put("creation date", 1700000000L)
                .build());
    Metainfo m = Metainfo.parse(file);
    assertThat(m.info().name()).isEqualTo("movie.mp4");
    assertThat(m.info().isSingleFile()).isTrue();
    assertThat(m.info().totalLength()).isEqualTo(3 * PL + 5);
    assertThat(m.info().pieceCount()).isEqualTo(4);
    assertThat(m.info().pieceHash(1)).isEqualTo(java.util.Arrays.copyOfRange(TestTorrents.fakePieces(4), 20, 40));
    assertThat(m.info().files()).containsExactly(new TorrentFile(List.of("movie.mp4"), 3 * PL + 5, 0));
    assertThat(m.announce()).isEqualTo("http://t/announce");
    assertThat(m.announceList()).containsExactly(List.of("http://a", "http://b"), List.of("udp://c"));
    assertThat(m.trackers()).containsExactly("http://a", "http://b", "udp://c");
    assertThat(m.webSeeds()).containsExactly("https://origin/media/movie.mp4");
    assertThat(m.comment()).isEqualTo("hello");
    assertThat(m.createdBy()).isEqualTo("test");
    assertThat(m.creationDate()).isEqualTo(1700000000L);
    assertThat(m.toBytes()).isEqualTo(file);
    assertThat(m.info().isPrivate()).isFalse();
  }

  @Test
  void infoHashIsSha1OfTheInfoBytesAsTheyAppearInTheFile() {
    BDictionary info = singleFileInfo("a", 100, PL).put("x-unknown-key", List.of(1, "z")).build();
    byte[] infoBytes = BencodeEncoder.encode(info);
    byte[] file = torrent(info);
    Metainfo m = Metainfo.parse(file);
    assertThat(m.infoBytes()).isEqualTo(infoBytes);
    assertThat(m.infoHash().bytes()).isEqualTo(sha1(infoBytes));
    // The raw bytes keep keys this parser does not know: they are part of the hash.
    assertThat(new String(m.infoBytes(), StandardCharsets.ISO_8859_1)).contains("x-unknown-key");
  }

  @Test
  void multiFileOffsetsFollowListOrder() {
    Map<String, Long> files = new LinkedHashMap<>();
    files.put("b/one.bin", 10L);
    files.put("a", 0L);
    files.put("z é.txt", (long) PL);
    Metainfo m = Metainfo.parse(torrent(multiFileInfo("dir", PL, files).build()));
    Info info = m.info();
    assertThat(info.isSingleFile()).isFalse();
    assertThat(info.files())
        .containsExactly(
            new TorrentFile(List.of("b", "one.bin"), 10, 0),
            new TorrentFile(List.of("a"), 0, 10),
            new TorrentFile(List.of("z é.txt"), PL, 10));
    assertThat(info.files().get(0).pathString()).isEqualTo("b/one.bin");
    assertThat(info.totalLength()).isEqualTo(PL + 10);
    assertThat(info.layout().spans(1)).containsExactly(new FileSpan(2, PL - 10, 10));
  }

  @Test
  void urlListMayBeAList() {
    byte[] file =
        BencodeEncoder.encode(
            BDictionary.builder()
                .put("info", singleFileInfo("a", 1, PL).build())
                .put("url-list", List.of("http://x/", "http://y/"))
                .build());
    assertThat(Metainfo.parse(file).webSeeds()).containsExactly("http://x/", "http://y/");
    assertThat(Metainfo.parse(file).trackers()).isEmpty();
  }

  @Test
  void privateFlag() {
    Metainfo m = Metainfo.parse(torrent(singleFileInfo("a", 1, PL).put("private", 1).build()));
    assertThat(m.info().isPrivate()).isTrue();
  }

  @Test
  void infoCanBeParsedAloneForBep9Metadata() {
    BDictionary info = singleFileInfo("a", 5, PL).build();
    Info parsed = Info.parse(BencodeEncoder.encode(info));
    assertThat(parsed.name()).isEqualTo("a");
    assertThatThrownBy(() -> Info.parse("i1e".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(MetainfoException.class).hasMessageContaining("not a dictionary");
  }

  @Test
  void rejectsPiecesNotAMultipleOf20() {
    BDictionary info = singleFileInfo("a", 5, PL).put("pieces", new byte[21]).build();
    assertInvalid(torrent(info), "not a multiple of 20");
  }

  @Test
  void rejectsPieceCountInconsistentWithLength() {
    BDictionary info = singleFileInfo("a", 5, PL).put("pieces", new byte[40]).build();
    assertInvalid(torrent(info), "holds 2 hashes but 5 bytes in pieces of 16384 need 1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -16384, 1000, 8192, 16385, 3 * 16384})
  void rejectsInsanePieceLengths(int pieceLength) {
    BDictionary info = singleFileInfo("a", 5, PL).put("piece length", pieceLength).build();
    assertInvalid(torrent(info), "not a power of two between 16 KiB and 256 MiB");
  }

  @Test
  void rejectsHugePieceLength() {
    BDictionary info = singleFileInfo("a", 5, PL).put("piece length", 1L << 31).build();
    assertInvalid(torrent(info), "not a power of two");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "nul\0byte"})
  void rejectsUnsafeNames(String name) {
    assertInvalid(torrent(singleFileInfo(name, 5, PL).build()), "name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok/../etc", "/abs", "a//b", "./x", "x/\0"})
  void rejectsUnsafePathComponents(String path) {
    assertInvalid(torrent(multiFileInfo("d", PL, Map.of(path, 3L)).build()), "files[0].path");
  }

  @Test
  void rejectsSlashInsideOneComponent() {
    BDictionary info = multiFileInfo("d", PL, Map.of("x", 3L))
        .put("files", List.of(Map.of("path", List.of("a/b"), "length", 3))).build();
    assertInvalid(torrent(info), "contains '/' or NUL");
  }

  @Test
  void rejectsDuplicateAndConflictingPaths() {
    BDictionary info = multiFileInfo("d", PL, Map.of("x", 6L))
        .put("files", List.of(Map.of("path", List.of("a"), "length", 3),
            Map.of("path", List.of("a"), "length", 3))).build();
    assertInvalid(torrent(info), "duplicate file path 'a'");
    Map<String, Long> dup = new LinkedHashMap<>();
    dup.put("a", 3L);
    dup.put("a/b", 3L);
    assertInvalid(torrent(multiFileInfo("d", PL, dup).build()), "'a' is both a file and a directory");
  }

  @Test
  void rejectsStructuralProblems() {
    assertInvalid("i1e".getBytes(StandardCharsets.US_ASCII), "not a bencoded dictionary");
    assertInvalid("d1:ai1ee".getBytes(StandardCharsets.US_ASCII), "no 'info'");
    assertInvalid("d4:infod".getBytes(StandardCharsets.US_ASCII), "malformed torrent file: unexpected end of input at byte 8");
    assertInvalid(torrent(singleFileInfo("a", 5, PL).put("files", List.of()).build()), "exactly one of 'length' and 'files'");
    assertInvalid(torrent(singleFileInfo("a", 0, PL).build()), "no content");
    assertInvalid(torrent(singleFileInfo("a", -1, PL).build()), "invalid length -1");
    assertInvalid(torrent(singleFileInfo("a", 5, PL).put("name", 7).build()), "'name' must be a byte string");
    assertInvalid(torrent(multiFileInfo("d", PL, Map.of("a", 3L)).put("files", List.of()).build()), "'files' is empty");
    BDictionary info = singleFileInfo("a", 5, PL).build();
    assertInvalid(BencodeEncoder.encode(BDictionary.builder().put("info", info).put("url-list", 3).build()),
        "'url-list' must be a string or a list");
    assertInvalid(BencodeEncoder.encode(BDictionary.builder().put("info", info).put("announce-list", List.of("x")).build()),
        "'announce-list' must be a list of lists");
    assertInvalid(BencodeEncoder.encode(BDictionary.builder().put("info", info).put("creation date", "x").build()),
        "'creation date' must be an integer");
  }

  private static final String ALPHABET = "0123456789ilde:-/.\0xyz";

  @Test
  void mutatedTorrentsFailOnlyWithMetainfoException() {
    java.util.Map<String, Long> files = new LinkedHashMap<>();
    files.put("a/b", 20_000L);
    files.put("c", 30_000L);
    byte[] valid = torrent(multiFileInfo("d", PL, files).build());
    java.util.Random r = new java.util.Random(99);
    int parsed = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] m = valid.clone();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        m[r.nextInt(m.length)] = (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
      }
      try {
        Metainfo.parse(m);
        parsed++;
      } catch (MetainfoException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
    assertThat(parsed).as("some mutations only touch hash bytes").isPositive();
  }

  private static void assertInvalid(byte[] file, String message) {
    assertThatThrownBy(() -> Metainfo.parse(file))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining(message);
  }
}
