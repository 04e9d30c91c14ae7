package io.swarmcdn.cli;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.metainfo.FileSpan;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code verify FILE.torrent PATH}: check every piece of the content against the torrent. */
final class VerifyCommand implements Command {
  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "check every piece of a file or directory against a torrent";
  }

  @Override
  public String usage() {
    return "usage: " + TorrentCli.PROGRAM + " verify FILE.torrent PATH\n"
        + "  PATH is the content: the file of a single-file torrent (or the directory holding it),\n"
        + "  or the directory of a multi-file torrent. Exit status 0 only if every piece matches.\n";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    List<String> p = Args.parse(args, Set.of(), Set.of(), Map.of()).positional(2, "FILE.torrent PATH");
    Metainfo m = InfoCommand.read(Path.of(p.get(0)));
    Path content = Path.of(p.get(1));
    if (!Files.exists(content)) {
      throw new java.nio.file.NoSuchFileException(content.toString());
    }
    Info info = m.info();
    List<Path> files = TorrentFiles.locate(info, content);
    ProgressPrinter progress = new ProgressPrinter(console.err(), "verifying");
    BitSet good;
    try (ParallelPieceHasher hasher = new ParallelPieceHasher()) {
      good = hasher.verify(info, files, progress);
    }
    progress.done();
    int count = info.pieceCount();
    // Pieces cannot see a missing empty file or bytes past a file's end: check sizes too.
    boolean filesOk = true;
    for (int i = 0; i < files.size(); i++) {
      if (!Files.isRegularFile(files.get(i))) {
        console.out().println("missing: " + files.get(i));
        filesOk = false;
      } else if (Files.size(files.get(i)) != info.files().get(i).length()) {
        console.out().println("wrong size: " + files.get(i) + " is " + Files.size(files.get(i))
            + " bytes, expected " + info.files().get(i).length());
        filesOk = false;
      }
    }
    if (good.cardinality() == count && !filesOk) {
      console.out().println("FAILED: all " + count + " pieces match, but files are missing or too long");
      return 1;
    }
    if (good.cardinality() == count) {
      console.out().println("OK: all " + count + " pieces match (" + m.infoHash().hex() + ")");
      return 0;
    }
    BitSet bad = new BitSet(count);
    bad.set(0, count);
    bad.andNot(good);
    console.out().println("FAILED: " + bad.cardinality() + " of " + count + " pieces do not match: "
        + ranges(bad));
    TreeSet<String> affected = new TreeSet<>();
    for (int i = bad.nextSetBit(0); i >= 0; i = bad.nextSetBit(i + 1)) {
      for (FileSpan s : info.layout().spans(i)) {
        affected.add(info.files().get(s.fileIndex()).pathString());
      }
    }
    console.out().println("affected files: " + String.join(", ", affected));
    return 1;
  }

  /** "0, 3-5, 9" */
  static String ranges(BitSet set) {
    StringBuilder s = new StringBuilder();
    for (int i = set.nextSetBit(0); i >= 0; ) {
      int end = set.nextClearBit(i) - 1;
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(i);
      if (end > i) {
        s.append('-').append(end);
      }
      i = set.nextSetBit(end + 1);
    }
    return s.toString();
  }
}
