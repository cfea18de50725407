/// What a text run ends with: where the images are and how to look at them, and how to point the
/// next run at a real registry and cluster.
public enum CIClosingWords {
  public static func lines(_ report: CIReport, repositoryPath: String) -> [String] {
    var lines: [String] = []
    let layoutImages = report.images.filter { $0.reference.hasPrefix("oci:") }
    if !layoutImages.isEmpty {
      lines.append("images (OCI image layouts):")
      for image in layoutImages {
        let reference = image.reference.replacingOccurrences(
          of: "oci:" + repositoryPath + "/", with: "oci:")
        lines.append("  \(image.service): \(reference)  \(image.digest)")
      }
      if let first = layoutImages.first {
        let reference = first.reference.replacingOccurrences(
          of: "oci:" + repositoryPath + "/", with: "oci:")
        lines.append("look at one:  skopeo inspect \(reference)")
        lines.append(
          "copy to a registry:  skopeo copy \(reference) docker://REGISTRY/\(first.service):\(first.tag)"
        )
      }
    } else if !report.images.isEmpty {
      lines.append("images:")
      for image in report.images { lines.append("  \(image.service): \(image.reference)") }
    }
    if report.plan?.against == "empty" {
      lines.append(
        "to plan against a real cluster: point KUBECONFIG (or --kubeconfig/--context) at it")
    }
    if report.images.contains(where: {
      $0.repository.hasPrefix(repositoryPath + "/.tripgen/images")
    }) {
      lines.append(
        "to push to a registry instead: set spec.registry.host in environments/"
          + "\(report.environment)/environment.yaml (credentials in TRIPGEN_REGISTRY_USERNAME and "
          + "TRIPGEN_REGISTRY_PASSWORD), or run `tripgen ci --env dev`")
    }
    return lines
  }
}
