//! The marketplace of internal expertise: offers (aanbod) and requests (vraag).

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, clean_label, clean_text};
use crate::doc_util::{map_at, put_str_list, put_str_set, put_text, update_text_at};
use crate::schema::{limits, root};
use crate::{ModelError, OfferId, RequestId, Result, new_id};

fn clean_names(names: &[String], field: &'static str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for n in names {
        if n.trim().is_empty() {
            continue;
        }
        let n = clean_label(n, field)?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

impl Trajectory {
    /// Adds an offer: expertise `topic`, offered by `people` (names; at least one).
    pub fn add_offer(
        &mut self,
        topic: &str,
        people: &[String],
        tags: &[String],
    ) -> Result<OfferId> {
        let topic = clean_text(topic, "topic", limits::NOTE)?;
        let people = clean_names(people, "person")?;
        if people.is_empty() {
            return Err(ModelError::EmptyText { field: "person" });
        }
        let tags = clean_names(tags, "tag")?;
        self.edit("add offer", |t, now| {
            let coll = t.market_obj(root::OFFERS)?;
            let id = new_id();
            let o = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            put_text(&mut t.doc, &o, "topic", &topic)?;
            put_str_list(&mut t.doc, &o, "tags", &tags)?;
            put_str_set(&mut t.doc, &o, "people", &people)?;
            t.doc.put(&o, "created_at", now)?;
            Ok(id)
        })
    }

    /// Adds a person to an offer ("I can offer that too").
    pub fn add_offer_person(&mut self, id: &str, person: &str) -> Result<()> {
        let person = clean_label(person, "person")?;
        self.edit("join offer", |t, _| {
            let coll = t.market_obj(root::OFFERS)?;
            let o = t.live_item(&coll, id, "offer")?;
            let people = match map_at(&t.doc, &o, "people") {
                Some(p) => p,
                None => t.doc.put_object(&o, "people", ObjType::Map)?,
            };
            t.doc.put(&people, person.as_str(), true)?;
            Ok(())
        })
    }

    /// Takes a person off an offer (the offer itself stays, even with nobody left on it).
    pub fn remove_offer_person(&mut self, id: &str, person: &str) -> Result<()> {
        let person = clean_label(person, "person")?;
        self.edit("leave offer", |t, _| {
            let coll = t.market_obj(root::OFFERS)?;
            let o = t.live_item(&coll, id, "offer")?;
            if let Some(people) = map_at(&t.doc, &o, "people") {
                t.doc.delete(&people, person.as_str())?;
            }
            Ok(())
        })
    }

    /// Adds a request: `person` wants to learn `topic`, optionally from `from_whom`.
    pub fn add_request(
        &mut self,
        topic: &str,
        person: &str,
        from_whom: &[String],
        tags: &[String],
    ) -> Result<RequestId> {
        let topic = clean_text(topic, "topic", limits::NOTE)?;
        let person = clean_label(person, "person")?;
        let from_whom = clean_names(from_whom, "from whom")?;
        let tags = clean_names(tags, "tag")?;
        self.edit("add request", |t, now| {
            let coll = t.market_obj(root::REQUESTS)?;
            let id = new_id();
            let r = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            put_text(&mut t.doc, &r, "topic", &topic)?;
            put_str_list(&mut t.doc, &r, "tags", &tags)?;
            t.doc.put(&r, "person", person.as_str())?;
            put_str_set(&mut t.doc, &r, "from_whom", &from_whom)?;
            t.doc.put(&r, "created_at", now)?;
            Ok(id)
        })
    }

    /// Changes the topic of an offer (`offer = true`) or request.
    pub fn set_market_topic(&mut self, offer: bool, id: &str, topic: &str) -> Result<()> {
        let topic = clean_text(topic, "topic", limits::NOTE)?;
        self.edit("edit topic", |t, _| {
            let (key, kind) = if offer {
                (root::OFFERS, "offer")
            } else {
                (root::REQUESTS, "request")
            };
            let coll = t.market_obj(key)?;
            let o = t.live_item(&coll, id, kind)?;
            update_text_at(&mut t.doc, &o, "topic", &topic)
        })
    }

    /// Removes an offer.
    pub fn delete_offer(&mut self, id: &str) -> Result<()> {
        self.delete_market(root::OFFERS, id, "offer")
    }

    /// Removes a request.
    pub fn delete_request(&mut self, id: &str) -> Result<()> {
        self.delete_market(root::REQUESTS, id, "request")
    }

    fn delete_market(&mut self, key: &str, id: &str, kind: &'static str) -> Result<()> {
        self.edit("delete", |t, now| {
            let coll = t.market_obj(key)?;
            let o = t.live_item(&coll, id, kind)?;
            t.doc.put(&o, "deleted_at", now)?;
            t.blank(&o, &["topic"])
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::ModelError;
    use crate::trajectory::test_support::fresh;

    #[test]
    fn offers_and_requests() {
        let (mut t, _) = fresh();
        let o = t
            .add_offer(
                "Digibord",
                &["Bram".into(), " ".into(), "Bram".into()],
                &["ict".into()],
            )
            .unwrap();
        t.add_offer_person(&o, "Sanne").unwrap();
        t.add_offer_person(&o, "Piet").unwrap();
        t.remove_offer_person(&o, "Piet").unwrap();
        let r = t
            .add_request("Werken met het digibord", "Els", &["Bram".into()], &[])
            .unwrap();
        let v = t.view();
        assert_eq!(
            v.offers[0].people,
            vec!["Bram".to_owned(), "Sanne".to_owned()]
        );
        assert_eq!(v.offers[0].tags, vec!["ict".to_owned()]);
        assert_eq!(v.requests[0].person, "Els");
        assert_eq!(v.requests[0].from_whom, vec!["Bram".to_owned()]);
        t.set_market_topic(false, &r, "Digibord in groep 3")
            .unwrap();
        assert_eq!(t.view().requests[0].topic, "Digibord in groep 3");
        assert!(matches!(
            t.add_offer("x", &[], &[]),
            Err(ModelError::EmptyText { field: "person" })
        ));
        assert!(matches!(
            t.add_offer("", &["A".into()], &[]),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.add_request("x", "", &[], &[]),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.add_offer_person("ghost", "A"),
            Err(ModelError::UnknownId { kind: "offer", .. })
        ));
        t.delete_offer(&o).unwrap();
        t.delete_request(&r).unwrap();
        let v = t.view();
        assert!(v.offers.is_empty() && v.requests.is_empty());
    }
}
