package io.swarmcdn.cli;

import io.swarmcdn.torrent.magnet.MagnetUri;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code info FILE.torrent}: what a torrent holds. */
final class InfoCommand implements Command {
  /** .torrent files above this size are refused before being read into memory. */
  static final long MAX_TORRENT_FILE = 128L << 20;

  @Override
  public String name() {
    return "info";
  }

  @Override
  public String summary() {
    return "show a torrent: name, size, pieces, info-hash, magnet, trackers, web seeds";
  }

  @Override
  public String usage() {
    return "usage: " + TorrentCli.PROGRAM + " info FILE.torrent\n";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args a = Args.parse(args, Set.of(), Set.of(), Map.of());
    Metainfo m = read(Path.of(a.positional(1, "FILE.torrent").get(0)));
    describe(m, console.out());
    return 0;
  }

  static Metainfo read(Path torrent) throws IOException {
    if (Files.isDirectory(torrent)) {
      throw new IOException(torrent + " is a directory, not a .torrent file");
    }
    long size = Files.size(torrent);
    if (size > MAX_TORRENT_FILE) {
      throw new IOException(torrent + " is " + Sizes.human(size) + ": too large for a .torrent file");
    }
    try {
      return Metainfo.parse(Files.readAllBytes(torrent));
    } catch (RuntimeException e) {
      throw new IOException(torrent + ": " + e.getMessage(), e);
    }
  }

  static void describe(Metainfo m, PrintStream out) {
    Info info = m.info();
    line(out, "name", info.name());
    line(out, "size", info.totalLength() + " bytes (" + Sizes.human(info.totalLength()) + ")");
    line(out, "piece length", info.pieceLength() + " (" + Sizes.human(info.pieceLength()) + ")");
    line(out, "pieces", Integer.toString(info.pieceCount()));
    line(out, "info-hash", m.infoHash().hex());
    line(out, "magnet", MagnetUri.of(m).toString());
    if (!info.isSingleFile()) {
      line(out, "files", Integer.toString(info.files().size()));
      for (TorrentFile f : info.files()) {
        out.println("    " + f.pathString() + "  (" + f.length() + " bytes)");
      }
    }
    line(out, "trackers", m.trackers().isEmpty() ? "(none)" : String.join(" ", m.trackers()));
    line(out, "web seeds", m.webSeeds().isEmpty() ? "(none)" : String.join(" ", m.webSeeds()));
    if (info.isPrivate()) {
      line(out, "private", "yes");
    }
    if (m.comment() != null) {
      line(out, "comment", m.comment());
    }
    if (m.createdBy() != null) {
      line(out, "created by", m.createdBy());
    }
    if (m.creationDate() != null) {
      line(out, "created", Instant.ofEpochSecond(m.creationDate()).toString());
    }
  }

  private static void line(PrintStream out, String label, String value) {
    out.println(String.format("%-13s %s", label + ":", value));
  }
}
