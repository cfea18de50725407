import ServiceKit
import TripAPI

// The trip service: a user's trips and their day-by-day itineraries (/api/v1/trips).
await ServiceRuntime.main(serviceName: "trip-service") { router, environment in
  TripRoutes.add(to: router, environment: environment)
  return []
}
