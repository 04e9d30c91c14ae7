package io.swarmcdn.torrent.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes values canonically (BEP 3): dictionary keys in raw byte order (kept so by {@link
 * BDictionary}), integers in shortest decimal form. Iterative, so deep values cannot overflow the
 * call stack.
 */
public final class BencodeEncoder {
  private BencodeEncoder() {}

  public static byte[] encode(BValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Stack of iterators over open containers; items of a dictionary iterator are its entries.
    ArrayList<Iterator<?>> stack = new ArrayList<>();
    Object next = value;
    while (true) {
      if (next != null) {
        if (next instanceof Map.Entry<?, ?> e) {
          writeString(out, ((BString) e.getKey()).raw());
          next = e.getValue();
          continue;
        }
        BValue v = (BValue) next;
        if (v instanceof BString s) {
          writeString(out, s.raw());
        } else if (v instanceof BInteger i) {
          out.write('i');
          writeAscii(out, Long.toString(i.value()));
          out.write('e');
        } else if (v instanceof BList l) {
          out.write('l');
          stack.add(l.items().iterator());
        } else {
          out.write('d');
          stack.add(((BDictionary) v).entries().entrySet().iterator());
        }
      }
      if (stack.isEmpty()) {
        return out.toByteArray();
      }
      Iterator<?> top = stack.get(stack.size() - 1);
      if (top.hasNext()) {
        next = top.next();
      } else {
        out.write('e');
        stack.remove(stack.size() - 1);
        next = null;
      }
    }
  }

  private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
    writeAscii(out, Integer.toString(bytes.length));
    out.write(':');
    out.write(bytes, 0, bytes.length);
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    out.write(b, 0, b.length);
  }
}
