package io.swarmcdn.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.bencode.BValue;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the browser build possible: compiled torrent-core classes outside {@code
 * io/swarmcdn/torrent/jvm/} must not reference what TeaVM cannot translate. Reads each class
 * file's constant pool: class references, type descriptors and method references.
 */
@Timeout(30)
class TeaVmCompatibilityTest {
  private static final List<String> FORBIDDEN_PREFIXES =
      List.of("java/lang/Thread", "java/util/concurrent/", "java/nio/file/",
          "java/security/MessageDigest", "java/lang/reflect/", "java/io/File");
  private static final Set<String> FORBIDDEN_METHODS =
      Set.of("java/lang/String.format", "java/lang/String.formatted");
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");

  @Test
  void portableCodeReferencesNothingTeaVmLacks() throws Exception {
    Path classes = Path.of(BValue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        if (name.startsWith("io/swarmcdn/torrent/jvm/")) {
          continue;
        }
        scanned++;
        for (String ref : forbiddenReferences(file)) {
          violations.add(name + " -> " + ref);
        }
      }
    }
    assertThat(scanned).as("classes scanned").isGreaterThan(10);
    assertThat(violations).as("TeaVM-incompatible references outside io.swarmcdn.torrent.jvm").isEmpty();
  }

  @Test
  void scannerSeesForbiddenReferencesWhereTheyAre() throws Exception {
    Path classes = Path.of(BValue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path hasher = classes.resolve("io/swarmcdn/torrent/jvm/hash/ParallelPieceHasher.class");
    Path sha1 = classes.resolve("io/swarmcdn/torrent/jvm/hash/JdkSha1.class");
    assertThat(forbiddenReferences(hasher))
        .contains("java/util/concurrent/ExecutorService", "java/nio/file/Path");
    assertThat(forbiddenReferences(sha1)).contains("java/security/MessageDigest");
    Path sample = Path.of(Forbidden.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/swarmcdn/torrent/TeaVmCompatibilityTest$Forbidden.class");
    assertThat(forbiddenReferences(sample))
        .containsExactlyInAnyOrder("java/lang/Thread", "java/lang/String.format", "java/io/File",
            "java/lang/reflect/Method");
  }

  /** Compiled only to be scanned: one of each kind of forbidden reference. */
  static final class Forbidden {
    static String sample(java.io.File file, java.lang.reflect.Method method) {
      Thread.yield();
      return String.format("%s %s", file, method);
    }
  }

  static Set<String> forbiddenReferences(Path classFile) throws IOException {
    Set<String> found = new TreeSet<>();
    ConstantPool pool = ConstantPool.read(classFile);
    for (String cls : pool.classNames()) {
      check(cls, found);
    }
    for (String utf8 : pool.utf8()) {
      Matcher m = DESCRIPTOR_CLASS.matcher(utf8);
      while (m.find()) {
        check(m.group(1), found);
      }
    }
    for (String method : pool.methodRefs()) {
      if (FORBIDDEN_METHODS.contains(method)) {
        found.add(method);
      }
    }
    return found;
  }

  private static void check(String internalName, Set<String> found) {
    String name = internalName.startsWith("[") ? internalName.replaceAll("^\\[+L?|;$", "") : internalName;
    for (String prefix : FORBIDDEN_PREFIXES) {
      if (name.startsWith(prefix)) {
        found.add(name);
      }
    }
  }

  /** The parts of a class file's constant pool (JVMS 4.4) that name other classes and methods. */
  private record ConstantPool(List<String> utf8, List<String> classNames, List<String> methodRefs) {
    static ConstantPool read(Path classFile) throws IOException {
      try (InputStream in = Files.newInputStream(classFile);
          DataInputStream data = new DataInputStream(in)) {
        if (data.readInt() != 0xCAFEBABE) {
          throw new IOException(classFile + " is not a class file");
        }
        data.readUnsignedShort(); // minor
        data.readUnsignedShort(); // major
        int count = data.readUnsignedShort();
        String[] strings = new String[count];
        int[] classIndex = new int[count];
        int[][] refs = new int[count][];
        int[] nameAndTypeName = new int[count];
        for (int i = 1; i < count; i++) {
          int tag = data.readUnsignedByte();
          switch (tag) {
            case 1 -> strings[i] = data.readUTF();
            case 7 -> classIndex[i] = data.readUnsignedShort();
            case 9, 10, 11 -> refs[i] = new int[] {data.readUnsignedShort(), data.readUnsignedShort()};
            case 12 -> {
              nameAndTypeName[i] = data.readUnsignedShort();
              data.readUnsignedShort();
            }
            case 3, 4 -> data.readInt();
            case 5, 6 -> {
              data.readLong();
              i++; // 8-byte constants take two slots
            }
            case 8, 16, 19, 20 -> data.readUnsignedShort();
            case 15 -> {
              data.readUnsignedByte();
              data.readUnsignedShort();
            }
            case 17, 18 -> data.readInt();
            default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
          }
        }
        List<String> utf8 = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        for (int i = 1; i < count; i++) {
          if (strings[i] != null) {
            utf8.add(strings[i]);
          }
          if (classIndex[i] != 0) {
            classes.add(strings[classIndex[i]]);
          }
          if (refs[i] != null) {
            String owner = strings[classIndex[refs[i][0]]];
            methods.add(owner + "." + strings[nameAndTypeName[refs[i][1]]]);
          }
        }
        return new ConstantPool(utf8, classes, methods);
      }
    }
  }
}
