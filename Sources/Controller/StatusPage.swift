import Foundation
import GitOps

/// The status page at `/`: server-rendered HTML with inline CSS, no scripts and no external assets,
/// laid out in one column so it reads on a phone. Every value from Git or the cluster is escaped.
public enum StatusPage {
  /// The page for `environments`.
  public static func render(
    _ environments: [ControlledEnvironment], isLeader: Bool, identity: String, now: Date = Date()
  ) -> String {
    var html = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>tripgen controller</title>
      <style>\(css)</style></head><body>
      <header><h1>tripgen controller</h1>
      <p class="muted">\(escape(identity)) · \(isLeader ? "leader" : "standby") · \(escape(stamp(now)))</p></header>

      """
    if environments.isEmpty { html += "<p>No environments.</p>" }
    for environment in environments { html += section(environment) }
    html += "</body></html>\n"
    return html
  }

  private static func section(_ env: ControlledEnvironment) -> String {
    var html = "<section id=\"env-\(escape(env.name))\">"
    html += "<h2>\(escape(env.name)) <span class=\"badge \(badgeClass(env.status.sync))\">"
    html +=
      "\(env.status.sync.rawValue)</span> <span class=\"badge \(badgeClass(env.status.health.status))\">"
    html += "\(env.status.health.status.rawValue)</span></h2>"
    html += "<dl>"
    html += row("Namespace", escape(env.status.namespace))
    html += row("Source", "\(escape(env.repository)) <b>\(escape(env.branch))</b>")
    if let revision = env.revision {
      html += row(
        "Revision",
        "<code>\(escape(revision.shortCommit))</code> \(escape(revision.message))<br>"
          + "<span class=\"muted\">\(escape(revision.author)), \(escape(stamp(revision.time)))</span>"
      )
    } else {
      html += row("Revision", "<span class=\"muted\">not fetched yet</span>")
    }
    if let synced = env.syncedRevision
      ?? env.syncs.first(where: { $0.result == .succeeded })?
      .revision
    {
      html += row("Synced to", "<code>\(escape(String(synced.prefix(7))))</code>")
    }
    html += row(
      "Policy",
      [
        env.policy.automated ? "automated" : "manual", env.policy.prune ? "prune" : nil,
        env.policy.selfHeal ? "self-heal" : nil,
      ].compactMap { $0 }.joined(separator: ", "))
    if let sleep = env.sleep, sleep.asleep {
      html += row("Sleeping", "since \(escape(stamp(sleep.since))) (\(escape(sleep.reason)))")
    }
    if let error = env.lastError {
      html += row("Last error", "<span class=\"error\">\(escape(error))</span>")
    }
    html += "</dl>"

    html += "<h3>Objects</h3>"
    if env.status.objects.isEmpty {
      html += "<p class=\"muted\">None applied yet.</p>"
    } else {
      html += "<ul class=\"objects\">"
      for object in env.status.objects {
        html +=
          "<li><span class=\"badge \(badgeClass(object.health.status))\">\(object.health.status.rawValue)</span> "
        if object.sync != .synced {
          html += "<span class=\"badge \(badgeClass(object.sync))\">\(object.sync.rawValue)</span> "
        }
        html += "\(escape(object.kind)) <b>\(escape(object.name))</b>"
        if let reason = object.health.message {
          html += "<br><span class=\"muted\">\(escape(reason))</span>"
        }
        html += "</li>"
      }
      html += "</ul>"
    }

    if !env.images.isEmpty {
      html += "<h3>Images</h3><ul class=\"images\">"
      for image in env.images {
        html +=
          "<li><b>\(escape(image.name))</b><br><code>\(escape(image.digest ?? "waiting for image"))</code></li>"
      }
      html += "</ul>"
    }

    html += "<h3>Last syncs</h3>"
    if env.syncs.isEmpty {
      html += "<p class=\"muted\">No sync yet.</p>"
    } else {
      html += "<ol class=\"syncs\">"
      for sync in env.syncs {
        let seconds = sync.finished.timeIntervalSince(sync.started)
        html += "<li><span class=\"badge \(sync.result == .succeeded ? "good" : "bad")\">"
        html +=
          "\(sync.result.rawValue)</span> <code>\(escape(String(sync.revision.prefix(7))))</code> "
        html += "\(escape(sync.trigger.rawValue)), \(escape(stamp(sync.started))), "
        html += String(format: "%.1f s", seconds)
        html += "<br><span class=\"muted\">\(escape(sync.message))</span></li>"
      }
      html += "</ol>"
    }
    return html + "</section>\n"
  }

  private static func row(_ name: String, _ value: String) -> String {
    "<dt>\(name)</dt><dd>\(value)</dd>"
  }

  private static func badgeClass(_ status: SyncStatus) -> String {
    switch status {
    case .synced: "good"
    case .outOfSync: "warn"
    case .syncing: "info"
    case .unknown: "muted-badge"
    }
  }

  private static func badgeClass(_ health: HealthStatus) -> String {
    switch health {
    case .healthy: "good"
    case .progressing, .suspended: "info"
    case .degraded, .missing: "bad"
    case .unknown: "muted-badge"
    }
  }

  private static func stamp(_ date: Date) -> String {
    date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
  }

  /// HTML-escapes text for element content and attribute values.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  private static let css = """
    body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:52rem;\
    padding:1rem;color:#1b1f24;background:#f6f7f9}
    h1{font-size:1.3rem;margin:0}h2{font-size:1.15rem;margin:.2rem 0 .6rem}h3{font-size:1rem;margin:1rem 0 .4rem}
    section{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:1rem;margin:1rem 0}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem .8rem;margin:0}
    dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
    ul,ol{padding-left:1.2rem;margin:0}li{margin:.35rem 0;overflow-wrap:anywhere}
    code{font:13px ui-monospace,monospace;background:#eef1f4;padding:0 .25rem;border-radius:4px}
    .muted{color:#6e7781;font-size:.9em}.error{color:#b42318}
    .badge{display:inline-block;font-size:.78rem;font-weight:600;padding:.05rem .45rem;border-radius:999px}
    .good{background:#dafbe1;color:#116329}.warn{background:#fff1c2;color:#7a4e00}
    .bad{background:#ffe0dc;color:#a40e26}.info{background:#ddf4ff;color:#0a4f8a}
    .muted-badge{background:#eaeef2;color:#57606a}
    @media (max-width:30rem){dl{grid-template-columns:1fr}dt{font-weight:600}}
    """
}
