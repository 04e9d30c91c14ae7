package io.swarmcdn.torrent.jvm.hash;

import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Torrents of files on disk: creating one from a file or a directory, and finding the files of a
 * torrent below a path.
 *
 * <p>A directory contributes every regular file below it, hidden ones included; symbolic links are
 * followed (as mktorrent does). Anything that cannot be represented is an error rather than
 * silently left out: special files (sockets, devices, pipes), empty directories, link loops, and
 * names that are not safe path components.
 */
public final class TorrentFiles {
  private TorrentFiles() {}

  /**
   * Creates a torrent of {@code source} (a file: single-file torrent; a directory: multi-file
   * torrent named after it).
   *
   * @param options sets piece length, trackers, web seeds, comment... on the builder
   */
  public static Metainfo create(
      Path source, Consumer<TorrentBuilder> options, ParallelPieceHasher hasher, Progress progress)
      throws IOException {
    Map<List<String>, Path> paths = new HashMap<>();
    TorrentBuilder builder = scan(source, paths);
    options.accept(builder);
    List<Path> ordered = new ArrayList<>();
    long[] lengths = new long[builder.files().size()];
    for (int i = 0; i < lengths.length; i++) {
      TorrentFile f = builder.files().get(i);
      ordered.add(paths.get(f.path()));
      lengths[i] = f.length();
    }
    byte[] pieces = hasher.hash(PieceLayout.of(builder.pieceLength(), lengths), ordered, progress);
    return builder.build(pieces);
  }

  /**
   * The paths of {@code info}'s files, in torrent order, for content at {@code path}: the file
   * itself (single-file), or the torrent's directory (multi-file). For a single-file torrent,
   * {@code path} may also be the directory holding a file named {@code info.name()}.
   */
  public static List<Path> locate(Info info, Path path) {
    if (info.isSingleFile()) {
      return List.of(Files.isDirectory(path) ? path.resolve(info.name()) : path);
    }
    List<Path> out = new ArrayList<>(info.files().size());
    for (TorrentFile f : info.files()) {
      Path p = path;
      for (String component : f.path()) {
        p = p.resolve(component); // components were checked: no '/', '..', '.', empty or NUL
      }
      out.add(p);
    }
    return out;
  }

  private static TorrentBuilder scan(Path source, Map<List<String>, Path> paths) throws IOException {
    if (!Files.exists(source)) {
      throw new NoSuchFileException(source.toString(), null, "no such file or directory");
    }
    String name = fileName(source);
    if (Files.isRegularFile(source)) {
      long size = Files.size(source);
      paths.put(List.of(name), source);
      return TorrentBuilder.singleFile(name, size);
    }
    if (!Files.isDirectory(source)) {
      throw new MetainfoException(source + " is neither a regular file nor a directory");
    }
    List<TorrentBuilder.FileEntry> entries = new ArrayList<>();
    Files.walkFileTree(
        source,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            try (var children = Files.list(dir)) {
              if (children.findAny().isEmpty()) {
                throw new MetainfoException(
                    "empty directory " + dir + " cannot be represented in a torrent");
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) {
              throw new MetainfoException(file + " is not a regular file (or a broken link)");
            }
            List<String> components = new ArrayList<>();
            for (Path c : source.relativize(file)) {
              String component = c.toString();
              Info.checkComponent(component, "file name '" + component + "' in " + file);
              components.add(component);
            }
            paths.put(components, file);
            entries.add(new TorrentBuilder.FileEntry(components, attrs.size()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
              throw new MetainfoException("symbolic link loop at " + file);
            }
            throw e;
          }
        });
    return TorrentBuilder.multiFile(name, entries);
  }

  private static String fileName(Path p) {
    Path name = p.toAbsolutePath().normalize().getFileName();
    if (name == null) {
      throw new MetainfoException("cannot make a torrent of the root directory");
    }
    String s = name.toString();
    Info.checkComponent(s, "file name '" + s + "'");
    return s;
  }
}
