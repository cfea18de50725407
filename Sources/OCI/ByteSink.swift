/// Where a stage of the layer pipeline sends its bytes: tar → (diff id) → gzip → (digest) → file.
protocol ByteSink: AnyObject {
  func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError)
}

extension ByteSink {
  func write(_ bytes: [UInt8]) throws(OCIError) {
    // withUnsafeBytes only rethrows untyped errors: carry the typed one out in a Result.
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(OCIError) in try write(buffer) }
    }
    try result.get()
  }
}
