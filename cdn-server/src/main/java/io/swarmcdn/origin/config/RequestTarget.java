package io.swarmcdn.origin.config;

import java.net.URI;

/** The request target (RFC 9112 section 3.2) as the routes in front of Spring read it. */
public final class RequestTarget {

  private RequestTarget() {}

  /**
   * The request target's path, still percent-encoded (MediaPath decodes segment by segment), with
   * query and fragment cut off; an absolute-form target (RFC 9112 section 3.2.2) is reduced to
   * its path.
   */
  public static String rawPath(String target) {
    int end = target.length();
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
      }
    }
    if (target.startsWith("/")) {
      return end == target.length() ? target : target.substring(0, end);
    }
    try {
      String path = URI.create(target).getRawPath();
      return path == null ? "" : path;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
