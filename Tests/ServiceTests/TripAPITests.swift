import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TripAPI

extension ServiceTests {
  @Suite struct TripAPITests {
    func routes(_ router: Router<ServiceRequestContext>, _ environment: ServiceEnvironment) {
      TripRoutes.add(to: router, environment: environment)
    }

    static let seoulTrip = #"""
      {"destinationId": 1, "title": "Seoul in spring", "startDate": "2026-04-01",
       "endDate": "2026-04-03", "travellers": 2,
       "preferences": {"interests": ["museum", "cafe"], "pace": "relaxed"}}
      """#

    @Test func createListGetUpdateDelete() async throws {
      let service = try await TestService(name: "trip-service")
      let token = try await service.token(
        userID: try service.userID("member1@tripgen.dev"), role: .member)
      try await service.test(routes: routes) { client in
        let trip = try await client.execute(
          uri: "/api/v1/trips", method: .post, headers: headers(token: token),
          body: jsonBody(Self.seoulTrip)
        ) { response in
          #expect(response.status == .created)
          return try response.body.json(TripResource.self)
        }
        #expect(trip.startDate == "2026-04-01")
        #expect(trip.travellers == 2)
        #expect(trip.preferences["pace"] == .string("relaxed"))

        try await client.execute(uri: "/api/v1/trips", method: .get, headers: headers(token: token))
        {
          response in
          let trips = try response.body.json([TripResource].self)
          #expect(trips.map(\.id) == [trip.id])
        }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .get, headers: headers(token: token)
        ) { response in
          let fetched = try response.body.json(TripResource.self)
          #expect(fetched == trip)
        }
        let updated = try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .put, headers: headers(token: token),
          body: jsonBody(
            #"{"destinationId": 2, "title": "Busan instead", "startDate": "2026-04-01", "endDate": "2026-04-01"}"#
          )
        ) { response in
          #expect(response.status == .ok)
          return try response.body.json(TripResource.self)
        }
        #expect(updated.destinationId == 2)
        #expect(updated.travellers == 1)
        #expect(updated.preferences == .object([:]))
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .delete, headers: headers(token: token)
        ) { #expect($0.status == .noContent) }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .get, headers: headers(token: token)
        ) { #expect($0.status == .notFound) }
      }
    }

    @Test func daysAreSetListedAndBoundedByTheTrip() async throws {
      let service = try await TestService(name: "trip-service")
      let token = try await service.token(
        userID: try service.userID("member1@tripgen.dev"), role: .member)
      try await service.test(routes: routes) { client in
        let trip = try await client.execute(
          uri: "/api/v1/trips", method: .post, headers: headers(token: token),
          body: jsonBody(Self.seoulTrip)
        ) { try $0.body.json(TripResource.self) }
        let plan = #"{"plan": [{"placeId": 3, "start": "10:00"}]}"#
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)/days/2", method: .put, headers: headers(token: token),
          body: jsonBody(plan)
        ) { response in
          #expect(response.status == .ok)
          let day = try response.body.json(TripDayResource.self)
          #expect(day.date == "2026-04-02")
          #expect(day.plan.arrayValue?.count == 1)
        }
        for (path, body) in [
          ("days/4", plan), ("days/0", plan), ("days/1", #"{"plan": {"not": "an array"}}"#),
          ("days/1", #"{"plan": "#),
        ] {
          try await client.execute(
            uri: "/api/v1/trips/\(trip.id)/\(path)", method: .put, headers: headers(token: token),
            body: jsonBody(body)
          ) { #expect($0.status == .badRequest, "\(path) \(body)") }
        }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)/days", method: .get, headers: headers(token: token)
        ) { response in
          let days = try response.body.json([TripDayResource].self)
          #expect(days.map(\.dayNumber) == [2])
        }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)/days/2", method: .delete, headers: headers(token: token)
        ) { #expect($0.status == .noContent) }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)/days/2", method: .delete, headers: headers(token: token)
        ) { #expect($0.status == .notFound) }
      }
    }

    @Test func onlyTheOwnerOrAnAdminSeesATrip() async throws {
      let service = try await TestService(name: "trip-service")
      let owner = try await service.token(
        userID: try service.userID("member1@tripgen.dev"), role: .member)
      let stranger = try await service.token(
        userID: try service.userID("member2@tripgen.dev"), role: .member)
      let admin = try await service.token(
        userID: try service.userID("admin@tripgen.dev"), role: .admin)
      try await service.test(routes: routes) { client in
        let trip = try await client.execute(
          uri: "/api/v1/trips", method: .post, headers: headers(token: owner),
          body: jsonBody(Self.seoulTrip)
        ) { try $0.body.json(TripResource.self) }
        for (method, path) in [
          (HTTPRequest.Method.get, ""), (.delete, ""), (.get, "/days"), (.delete, "/days/1"),
        ] {
          try await client.execute(
            uri: "/api/v1/trips/\(trip.id)\(path)", method: method,
            headers: headers(token: stranger)
          ) { #expect($0.status == .notFound, "\(method) \(path)") }
        }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .put, headers: headers(token: stranger),
          body: jsonBody(Self.seoulTrip)
        ) { #expect($0.status == .notFound) }
        try await client.execute(
          uri: "/api/v1/trips", method: .get, headers: headers(token: stranger)
        ) {
          let trips = try $0.body.json([TripResource].self)
          #expect(trips.isEmpty)
        }
        try await client.execute(
          uri: "/api/v1/trips/\(trip.id)", method: .get, headers: headers(token: admin)
        ) { #expect($0.status == .ok) }
        try await client.execute(uri: "/api/v1/trips/\(trip.id)", method: .get) {
          #expect($0.status == .unauthorized)
        }
      }
    }

    @Test func invalidTripsAreRefused() async throws {
      let service = try await TestService(name: "trip-service")
      let token = try await service.token(
        userID: try service.userID("member1@tripgen.dev"), role: .member)
      let bodies = [
        #"{"destinationId": 1, "title": "x", "startDate": "2026-04-03", "endDate": "2026-04-01"}"#,
        #"{"destinationId": 1, "title": "x", "startDate": "2026-02-30", "endDate": "2026-03-01"}"#,
        #"{"destinationId": 1, "title": "x", "startDate": "April", "endDate": "2026-03-01"}"#,
        #"{"destinationId": 1, "title": "", "startDate": "2026-04-01", "endDate": "2026-04-01"}"#,
        #"{"destinationId": 1, "title": "x", "startDate": "2026-04-01", "endDate": "2026-04-01", "travellers": 0}"#,
        #"{"destinationId": 1, "title": "x", "startDate": "2026-04-01", "endDate": "2026-04-01", "preferences": [1]}"#,
        #"{"destinationId": 99999, "title": "x", "startDate": "2026-04-01", "endDate": "2026-04-01"}"#,
        #"{"title": "x", "startDate": "2026-04-01", "endDate": "2026-04-01"}"#,
        #"{"destinationId": 1, "#,
      ]
      try await service.test(routes: routes) { client in
        for body in bodies {
          try await client.execute(
            uri: "/api/v1/trips", method: .post, headers: headers(token: token),
            body: jsonBody(body)
          ) { #expect($0.status == .badRequest, "\(body)") }
        }
        try await client.execute(
          uri: "/api/v1/trips?limit=0", method: .get, headers: headers(token: token)
        ) { #expect($0.status == .badRequest) }
        try await client.execute(
          uri: "/api/v1/trips/abc", method: .get, headers: headers(token: token)
        ) { #expect($0.status == .badRequest) }
      }
      #expect(try service.query("SELECT count(*) FROM trips") == ["0"])
    }
  }
}
