//! The single-table definition, read from `infra/table.json`: the file the SAM template
//! is checked against and the one the local runner creates the table from.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use serde::Deserialize;

/// The definition file, in CloudFormation `AWS::DynamoDB::Table` property shape.
pub const TABLE_JSON: &str = include_str!("../../../infra/table.json");

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct TableDefinition {
    pub table_name: String,
    pub billing_mode: String,
    pub attribute_definitions: Vec<AttributeDef>,
    pub key_schema: Vec<KeyDef>,
    pub global_secondary_indexes: Vec<IndexDef>,
    pub stream_specification: StreamDef,
    pub time_to_live_specification: TtlDef,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDef {
    pub attribute_name: String,
    pub attribute_type: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct KeyDef {
    pub attribute_name: String,
    pub key_type: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct IndexDef {
    pub index_name: String,
    pub key_schema: Vec<KeyDef>,
    pub projection: ProjectionDef,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ProjectionDef {
    pub projection_type: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct StreamDef {
    pub stream_view_type: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct TtlDef {
    pub attribute_name: String,
    pub enabled: bool,
}

impl TableDefinition {
    pub fn load() -> Result<Self, String> {
        serde_json::from_str(TABLE_JSON).map_err(|e| format!("infra/table.json: {e}"))
    }
}

fn key(def: &KeyDef) -> Result<KeySchemaElement, String> {
    KeySchemaElement::builder()
        .attribute_name(&def.attribute_name)
        .key_type(KeyType::from(def.key_type.as_str()))
        .build()
        .map_err(|e| e.to_string())
}

fn keys(defs: &[KeyDef]) -> Result<Vec<KeySchemaElement>, String> {
    defs.iter().map(key).collect()
}

/// Create the table (named `table_name`, which may differ from the file's default) and
/// enable TTL, unless it exists already.
pub async fn ensure_table(
    client: &Client,
    def: &TableDefinition,
    table_name: &str,
) -> Result<(), String> {
    let existing = client
        .list_tables()
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    if existing.table_names().iter().any(|t| t == table_name) {
        return Ok(());
    }
    let mut request = client
        .create_table()
        .table_name(table_name)
        .billing_mode(BillingMode::from(def.billing_mode.as_str()))
        .set_key_schema(Some(keys(&def.key_schema)?))
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(
                    def.stream_specification.stream_view_type.as_str(),
                ))
                .build()
                .map_err(|e| e.to_string())?,
        );
    for attribute in &def.attribute_definitions {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(&attribute.attribute_name)
                .attribute_type(ScalarAttributeType::from(attribute.attribute_type.as_str()))
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    for index in &def.global_secondary_indexes {
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(&index.index_name)
                .set_key_schema(Some(keys(&index.key_schema)?))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::from(
                            index.projection.projection_type.as_str(),
                        ))
                        .build(),
                )
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    request
        .send()
        .await
        .map_err(|e| format!("CreateTable: {e:?}"))?;
    client
        .update_time_to_live()
        .table_name(table_name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name(&def.time_to_live_specification.attribute_name)
                .enabled(def.time_to_live_specification.enabled)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .send()
        .await
        .map_err(|e| format!("UpdateTimeToLive: {e:?}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_has_the_designed_keys() {
        let def = TableDefinition::load().expect("infra/table.json parses");
        let names: Vec<_> = def
            .key_schema
            .iter()
            .map(|k| k.attribute_name.as_str())
            .collect();
        assert_eq!(names, ["PK", "SK"]);
        assert_eq!(def.global_secondary_indexes[0].index_name, "GSI1");
        assert_eq!(def.time_to_live_specification.attribute_name, "ttl");
        assert_eq!(
            def.stream_specification.stream_view_type,
            "NEW_AND_OLD_IMAGES"
        );
    }
}
