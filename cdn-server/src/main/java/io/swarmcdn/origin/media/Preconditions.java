package io.swarmcdn.origin.media;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Conditional GET/HEAD against one representation, evaluated in the order of RFC 9110 section
 * 13.2.2: If-Match, else If-Unmodified-Since (false: 412); then If-None-Match, else
 * If-Modified-Since (false: 304). If-Range is step 5 and belongs to the range logic.
 */
final class Preconditions {

  private Preconditions() {}

  /** 412 or 304 when a precondition stops the request, null when it proceeds. */
  static HttpResponseStatus evaluate(HttpHeaders request, String etag, long lastModified) {
    String ifMatch = request.get(HttpHeaderNames.IF_MATCH);
    if (ifMatch != null) {
      if (!anyMatches(ifMatch, etag, false)) {
        return HttpResponseStatus.PRECONDITION_FAILED;
      }
    } else {
      long since = HttpDate.parse(request.get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
      if (since >= 0 && lastModified > since) {
        return HttpResponseStatus.PRECONDITION_FAILED;
      }
    }
    String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return anyMatches(ifNoneMatch, etag, true) ? HttpResponseStatus.NOT_MODIFIED : null;
    }
    long since = HttpDate.parse(request.get(HttpHeaderNames.IF_MODIFIED_SINCE));
    return since >= 0 && lastModified <= since ? HttpResponseStatus.NOT_MODIFIED : null;
  }

  /**
   * Whether {@code "*"} or one entity-tag of the comma-separated {@code list} matches our strong
   * {@code etag}: by weak comparison (a {@code W/} prefix is ignored, section 8.8.3.2) for
   * If-None-Match, by strong comparison (weak tags never match) for If-Match.
   */
  static boolean anyMatches(String list, String etag, boolean weak) {
    int i = 0;
    int n = list.length();
    while (i < n) {
      char c = list.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
      } else if (c == '*') {
        return true;
      } else {
        boolean isWeak = list.startsWith("W/", i);
        int open = isWeak ? i + 2 : i;
        if (open >= n || list.charAt(open) != '"') {
          return false; // not an entity-tag list: no match
        }
        int close = list.indexOf('"', open + 1);
        if (close < 0) {
          return false;
        }
        if ((weak || !isWeak) && list.regionMatches(open, etag, 0, etag.length())
            && close + 1 - open == etag.length()) {
          return true;
        }
        i = close + 1;
      }
    }
    return false;
  }
}
