package io.swarmcdn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny option parser: {@code --name value}, {@code --name=value}, short aliases, flags, repeated
 * options and positional arguments ({@code --} ends options).
 */
final class Args {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * @param withValue option names that take a value (e.g. "--tracker"); aliases map short to long
   * @param flags option names without a value
   */
  static Args parse(List<String> args, Set<String> withValue, Set<String> flags, Map<String, String> aliases)
      throws UsageException {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        a.positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        a.positional.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      name = aliases.getOrDefault(name, name);
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException(name + " takes no value");
        }
        a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (withValue.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
        a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option " + arg);
      }
    }
    return a;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** The last value given for {@code name}, or null. */
  String value(String name) {
    List<String> v = values.get(name);
    return v == null ? null : v.get(v.size() - 1);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** Exactly {@code count} positional arguments, named in {@code what} for the error. */
  List<String> positional(int count, String what) throws UsageException {
    if (positional.size() != count) {
      throw new UsageException(
          (positional.size() < count ? "missing " : "too many arguments; expected ") + what);
    }
    return positional;
  }
}
