// The extension point: the primitives a backend implements, one interface per data type, and
// register_backend, which makes a URL scheme open a user's backend.
//
//   class MyStore final : public cachet::Storage, cachet::KeyStorage, cachet::StringStorage {
//    public:
//     MyStore() : Storage({.keys = this, .strings = this}) {}  // no lists or sets: unsupported
//     ... every method of KeyStorage and StringStorage, ping() and clear() ...
//   };
//   cachet::register_backend("mystore", [](const cachet::BackendUrl& url, const cachet::BackendContext&)
//       -> cachet::Result<std::unique_ptr<cachet::Storage>> { return std::make_unique<MyStore>(); });
//
// Then CACHET_URL=mystore://... makes clusters use it. Keyspaces of a data type the backend
// leaves out answer Errc::unsupported. Each write primitive carries an ExpiryAction that the
// backend applies atomically with the write; see docs/api.md, "Writing a backend".
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/backend.hpp"
#include "engine/storage.hpp"
#include "engine/url.hpp"

namespace cachet {

using engine::BackendContext;
using engine::BackendFactory;
using engine::ExpiryAction;
using engine::FieldValue;
using engine::HashStorage;
using engine::KeyStorage;
using engine::KeyValue;
using engine::ListStorage;
using engine::SetAlgebra;
using engine::SetCondition;
using engine::SetStorage;
using engine::ScoredMember;
using engine::SortedSetStorage;
using engine::ZAddMode;
using engine::ZScoreBound;
using engine::Storage;
using engine::StorageParts;
using engine::StringStorage;
using BackendUrl = engine::Url;

}  // namespace cachet
