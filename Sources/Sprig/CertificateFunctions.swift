import Crypto
import Foundation
import GoTemplate
import _CryptoExtras

/// Sprig's certificate functions: `genCA`, `genCAWithKey`, `genSelfSignedCert`,
/// `genSelfSignedCertWithKey`, `genSignedCert`, `genSignedCertWithKey` and `buildCustomCert`.
/// Each returns a certificate object with `.Cert` and `.Key` PEM fields.
///
/// Certificates are X.509 v3 as Go's `x509.CreateCertificate` writes them for Sprig's templates
/// (random 128-bit serial, validity from now for the given days, key usage, extended key usage
/// server and client auth for leaf certificates, basic constraints, IP and DNS alternative
/// names), signed with SHA-256 (RSA PKCS #1 v1.5, ECDSA, or Ed25519 by the signing key). New
/// keys are RSA 2048, as in Sprig. Go also writes subject and authority key identifiers; these
/// certificates do not. Nondeterministic by design.
enum CertificateFunctions {
  static let functions: [String: TemplateFunction] = [
    "genCA": function(2) { arguments in
      try authority(
        commonName: try arguments.string(0), days: try arguments.int(1), key: try .generate())
    },
    "genCAWithKey": function(3) { arguments in
      try authority(
        commonName: try arguments.string(0), days: try arguments.int(1),
        key: try .parse(try arguments.string(2)))
    },
    "genSelfSignedCert": function(4) { arguments in
      try leaf(arguments, key: try .generate(), issuer: nil)
    },
    "genSelfSignedCertWithKey": function(5) { arguments in
      try leaf(arguments, key: try .parse(try arguments.string(4)), issuer: nil)
    },
    "genSignedCert": function(5) { arguments in
      try leaf(arguments, key: try .generate(), issuer: try certificate(arguments[4]))
    },
    "genSignedCertWithKey": function(6) { arguments in
      try leaf(
        arguments, key: try .parse(try arguments.string(5)), issuer: try certificate(arguments[4]))
    },
    "buildCustomCert": function(2) { arguments in
      guard let certificate = Data(base64Encoded: try arguments.string(0)),
        let key = Data(base64Encoded: try arguments.string(1))
      else { throw TemplateFunctionError("unable to decode base64 certificate or key") }
      let certificateText = String(decoding: certificate, as: UTF8.self)
      let keyText = String(decoding: key, as: UTF8.self)
      guard let der = pemBlock(certificateText)?.der else {
        throw TemplateFunctionError("unable to decode certificate")
      }
      _ = try subjectName(ofCertificate: der)
      guard pemBlock(keyText) != nil else {
        throw TemplateFunctionError("unable to decode private key")
      }
      _ = try CertificateKey.parse(keyText)
      return .object(CertificateObject(cert: certificateText, key: keyText))
    },
  ]

  private static let keyEncipherment: UInt8 = 0x20
  private static let digitalSignature: UInt8 = 0x80
  private static let certificateSign: UInt8 = 0x04

  private static func authority(commonName: String, days: Int, key: CertificateKey) throws
    -> TemplateValue
  {
    let name = distinguishedName(commonName)
    let der = try build(
      subject: name, issuer: name, days: days, subjectKey: key, signingKey: key,
      isAuthority: true, addresses: [], dnsNames: [])
    return .object(CertificateObject(cert: CryptoFunctions.pem("CERTIFICATE", der), key: key.pem))
  }

  /// genSelfSignedCert and genSignedCert: (cn, ips, alternateDNS, daysValid, ...).
  private static func leaf(
    _ arguments: [TemplateValue], key: CertificateKey, issuer: CertificateObject?
  ) throws -> TemplateValue {
    let commonName = try arguments.string(0)
    let addresses = try ipAddresses(arguments[1])
    let dnsNames = try alternateNames(arguments[2])
    let days = try arguments.int(3)
    let subject = distinguishedName(commonName)
    var issuerName = subject
    var signingKey = key
    if let issuer {
      guard let der = pemBlock(issuer.cert)?.der else {
        throw TemplateFunctionError("unable to decode CA certificate")
      }
      issuerName = try subjectName(ofCertificate: der)
      signingKey = try CertificateKey.parse(issuer.key)
    }
    let der = try build(
      subject: subject, issuer: issuerName, days: days, subjectKey: key, signingKey: signingKey,
      isAuthority: false, addresses: addresses, dnsNames: dnsNames)
    return .object(CertificateObject(cert: CryptoFunctions.pem("CERTIFICATE", der), key: key.pem))
  }

  private static func certificate(_ value: TemplateValue) throws -> CertificateObject {
    guard case .object(let object as CertificateObject) = value else {
      throw wrongType(value, expected: "sprig.certificate")
    }
    return object
  }

  private static func list(_ value: TemplateValue) -> [TemplateValue] {
    if case .list(let list) = value { return list }
    return []
  }

  /// Sprig's `getNetIPs`: each entry a string holding an IPv4 or IPv6 address.
  private static func ipAddresses(_ value: TemplateValue) throws -> [[UInt8]] {
    guard case .list(let entries) = value else {
      if value.isNilValue { return [] }
      throw wrongType(value, expected: "[]interface {}")
    }
    return try entries.map { entry in
      guard case .string(let text) = entry else {
        throw TemplateFunctionError(
          "error processing ip list: \(GoPrinting.format(entry)) is not a string")
      }
      guard let bytes = IPAddressText.bytes(text) else {
        throw TemplateFunctionError("error parsing ip: \(text)")
      }
      return bytes
    }
  }

  private static func alternateNames(_ value: TemplateValue) throws -> [String] {
    guard case .list(let entries) = value else {
      if value.isNilValue { return [] }
      throw wrongType(value, expected: "[]interface {}")
    }
    return try entries.map { entry in
      guard case .string(let text) = entry else {
        throw TemplateFunctionError(
          "error processing alternate dns name: \(GoPrinting.format(entry)) is not a string")
      }
      return text
    }
  }

  private static func distinguishedName(_ commonName: String) -> [UInt8] {
    if commonName.isEmpty { return DER.sequence() }
    return DER.sequence(
      DER.set(DER.sequence(DER.objectIdentifier([2, 5, 4, 3]), DER.directoryString(commonName))))
  }

  /// The subject Name of a DER certificate, as its bytes.
  private static func subjectName(ofCertificate der: [UInt8]) throws -> [UInt8] {
    do {
      var bytes = der[...]
      let certificate = try DER.read(&bytes)
      var fields = certificate.content
      let tbs = try DER.read(&fields)
      var tbsFields = tbs.content
      var element = try DER.read(&tbsFields)
      if element.tag == 0xA0 { element = try DER.read(&tbsFields) }  // version
      _ = try DER.read(&tbsFields)  // signature algorithm
      _ = try DER.read(&tbsFields)  // issuer
      _ = try DER.read(&tbsFields)  // validity
      let subject = try DER.read(&tbsFields)
      guard certificate.tag == 0x30, tbs.tag == 0x30, subject.tag == 0x30 else {
        throw DER.DecodingError(message: "x509: malformed certificate")
      }
      return Array(subject.encoded)
    } catch let error as DER.DecodingError {
      throw TemplateFunctionError("error parsing certificate: \(error.message)")
    }
  }

  private static func build(
    subject: [UInt8], issuer: [UInt8], days: Int, subjectKey: CertificateKey,
    signingKey: CertificateKey, isAuthority: Bool, addresses: [[UInt8]], dnsNames: [String]
  ) throws -> [UInt8] {
    var serial = [UInt8](repeating: 0, count: 16)
    var generator = SystemRandomNumberGenerator()
    for index in serial.indices {
      serial[index] = UInt8.random(in: .min ... .max, using: &generator)
    }
    let now = GoTime.now()
    let notAfter = now.adding(nanoseconds: Int64(days) * 86_400 * GoDuration.second)
    var extensions: [[UInt8]] = []
    func extensionValue(_ oid: [UInt], critical: Bool, _ value: [UInt8]) -> [UInt8] {
      critical
        ? DER.sequence(DER.objectIdentifier(oid), DER.boolean(true), DER.octetString(value))
        : DER.sequence(DER.objectIdentifier(oid), DER.octetString(value))
    }
    let usage =
      isAuthority
      ? DER.bitString([digitalSignature | keyEncipherment | certificateSign], unusedBits: 2)
      : DER.bitString([digitalSignature | keyEncipherment], unusedBits: 5)
    extensions.append(extensionValue([2, 5, 29, 15], critical: true, usage))
    if !isAuthority {
      extensions.append(
        extensionValue(
          [2, 5, 29, 37], critical: false,
          DER.sequence(
            DER.objectIdentifier([1, 3, 6, 1, 5, 5, 7, 3, 1]),
            DER.objectIdentifier([1, 3, 6, 1, 5, 5, 7, 3, 2]))))
    }
    extensions.append(
      extensionValue(
        [2, 5, 29, 19], critical: true,
        isAuthority ? DER.sequence(DER.boolean(true)) : DER.sequence()))
    if !addresses.isEmpty || !dnsNames.isEmpty {
      let names =
        dnsNames.map { DER.tlv(0x82, Array($0.utf8)) } + addresses.map { DER.tlv(0x87, $0) }
      extensions.append(
        extensionValue([2, 5, 29, 17], critical: false, DER.tlv(0x30, names.flatMap { $0 })))
    }
    let algorithm = signingKey.signatureAlgorithm
    let tbs = DER.sequence(
      DER.explicit(0, DER.integer([2])),
      DER.integer(serial),
      algorithm,
      issuer,
      DER.sequence(DER.time(now), DER.time(notAfter)),
      subject,
      subjectKey.subjectPublicKeyInfo,
      DER.explicit(3, DER.tlv(0x30, extensions.flatMap { $0 })))
    let signature = try signingKey.sign(tbs)
    return DER.sequence(tbs, algorithm, DER.bitString(signature))
  }

  /// The first PEM block of `text`: its type and DER bytes.
  static func pemBlock(_ text: String) -> (type: String, der: [UInt8])? {
    guard let begin = text.range(of: "-----BEGIN "),
      let typeEnd = text.range(of: "-----", range: begin.upperBound..<text.endIndex)
    else { return nil }
    let type = String(text[begin.upperBound..<typeEnd.lowerBound])
    guard
      let end = text.range(of: "-----END \(type)-----", range: typeEnd.upperBound..<text.endIndex)
    else { return nil }
    let body = text[typeEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
    guard let data = Data(base64Encoded: String(body)) else { return nil }
    return (type, Array(data))
  }
}

/// A private key that can sign certificates, in the kinds Sprig's functions accept.
enum CertificateKey {
  case rsa(_RSA.Signing.PrivateKey)
  case ecdsa(P256.Signing.PrivateKey)
  case ed25519(Curve25519.Signing.PrivateKey)

  /// A new RSA 2048 key, as Sprig creates for certificates.
  static func generate() throws -> CertificateKey {
    .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048))
  }

  /// Sprig's `parsePrivateKeyPEM`: PKCS #1 RSA, SEC 1 EC, or PKCS #8 of either or Ed25519.
  static func parse(_ pem: String) throws -> CertificateKey {
    guard let block = CertificateFunctions.pemBlock(pem) else {
      throw TemplateFunctionError("no PEM data in input")
    }
    switch block.type {
    case "RSA PRIVATE KEY":
      if let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) { return .rsa(key) }
    case "EC PRIVATE KEY":
      if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) { return .ecdsa(key) }
    case "PRIVATE KEY":
      if let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) { return .rsa(key) }
      if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) { return .ecdsa(key) }
      if let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: pem) {
        return .ed25519(key)
      }
    default:
      throw TemplateFunctionError("no RSA/ECDSA/Ed25519 private key in PEM type \(block.type)")
    }
    throw TemplateFunctionError("error decoding private key of PEM type \(block.type)")
  }

  /// Sprig's `pemBlockForKey` layout.
  var pem: String {
    switch self {
    case .rsa(let key):
      let text = key.pemRepresentation
      return text.hasSuffix("\n") ? text : text + "\n"
    case .ecdsa(let key):
      return CryptoFunctions.pem("EC PRIVATE KEY", CryptoFunctions.ellipticCurveKey(key))
    case .ed25519(let key):
      let text = key.pemRepresentation
      return text.hasSuffix("\n") ? text : text + "\n"
    }
  }

  var subjectPublicKeyInfo: [UInt8] {
    switch self {
    case .rsa(let key): return Array(key.publicKey.derRepresentation)
    case .ecdsa(let key): return Array(key.publicKey.derRepresentation)
    case .ed25519(let key): return Array(key.publicKey.derRepresentation)
    }
  }

  /// The AlgorithmIdentifier of this key's certificate signatures.
  var signatureAlgorithm: [UInt8] {
    switch self {
    case .rsa:
      return DER.sequence(DER.objectIdentifier([1, 2, 840, 113_549, 1, 1, 11]), DER.null)
    case .ecdsa:
      return DER.sequence(DER.objectIdentifier([1, 2, 840, 10045, 4, 3, 2]))
    case .ed25519:
      return DER.sequence(DER.objectIdentifier([1, 3, 101, 112]))
    }
  }

  func sign(_ data: [UInt8]) throws -> [UInt8] {
    switch self {
    case .rsa(let key):
      return Array(
        try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
          .rawRepresentation)
    case .ecdsa(let key):
      return Array(try key.signature(for: data).derRepresentation)
    case .ed25519(let key):
      return Array(try key.signature(for: data))
    }
  }
}

/// Sprig's certificate struct: `.Cert` and `.Key` hold PEM text.
struct CertificateObject: TemplateObject, GoJSONEncodable {
  let cert: String
  let key: String

  var typeName: String { "sprig.certificate" }
  var printed: String { "{\(cert) \(key)}" }
  var jsonValue: TemplateValue { ["Cert": .string(cert), "Key": .string(key)] }

  func field(named name: String) -> TemplateValue? {
    switch name {
    case "Cert": return .string(cert)
    case "Key": return .string(key)
    default: return nil
    }
  }
}

/// Go's `net.ParseIP` for the text forms certificates need.
enum IPAddressText {
  static func bytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }
}
