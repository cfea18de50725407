import LocationAPI
import ServiceKit

// The location service: destination and place search with a Redis cache (/api/v1/destinations,
// /api/v1/places).
await ServiceRuntime.main(serviceName: "location-service") { router, environment in
  try LocationRoutes.add(to: router, environment: environment)
  return []
}
