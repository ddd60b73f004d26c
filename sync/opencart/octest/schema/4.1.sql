-- OpenCart 4.1 fixture tables for octest (column sets of 4.1.0.4). {prefix} is replaced by the table prefix.

CREATE TABLE `{prefix}address` (
  `address_id` int(11) AUTO_INCREMENT,
  `customer_id` int(11),
  `firstname` varchar(32),
  `lastname` varchar(32),
  `company` varchar(60),
  `address_1` varchar(128),
  `address_2` varchar(128),
  `city` varchar(128),
  `postcode` varchar(10),
  `country_id` int(11) DEFAULT '0',
  `zone_id` int(11) DEFAULT '0',
  `custom_field` text,
  `default` tinyint(1) DEFAULT '0',
  PRIMARY KEY (`address_id`),
  KEY `customer_id` (`customer_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}address_format` (
  `address_format_id` int(11) AUTO_INCREMENT,
  `name` varchar(128),
  `address_format` text,
  PRIMARY KEY (`address_format_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}country` (
  `country_id` int(11) AUTO_INCREMENT,
  `iso_code_2` varchar(2),
  `iso_code_3` varchar(3),
  `address_format_id` int(11) DEFAULT '0',
  `postcode_required` tinyint(1),
  `status` tinyint(1) DEFAULT '1',
  PRIMARY KEY (`country_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}country_description` (
  `country_id` int(11),
  `language_id` int(11),
  `name` varchar(255),
  PRIMARY KEY (`country_id`,`language_id`),
  KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}coupon` (
  `coupon_id` int(11) AUTO_INCREMENT,
  `name` varchar(128),
  `code` varchar(20),
  `type` char(1),
  `discount` decimal(15,4),
  `logged` tinyint(1) DEFAULT '0',
  `shipping` tinyint(1) DEFAULT '0',
  `total` decimal(15,4),
  `date_start` date,
  `date_end` date,
  `uses_total` int(11) DEFAULT '0',
  `uses_customer` int(11) DEFAULT '0',
  `status` tinyint(1) DEFAULT '0',
  `date_added` datetime,
  PRIMARY KEY (`coupon_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}coupon_category` (
  `coupon_id` int(11),
  `category_id` int(11),
  PRIMARY KEY (`coupon_id`,`category_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}coupon_history` (
  `coupon_history_id` int(11) AUTO_INCREMENT,
  `coupon_id` int(11),
  `order_id` int(11) DEFAULT '0',
  `customer_id` int(11) DEFAULT '0',
  `amount` decimal(15,4),
  `date_added` datetime,
  PRIMARY KEY (`coupon_history_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}coupon_product` (
  `coupon_product_id` int(11) AUTO_INCREMENT,
  `coupon_id` int(11),
  `product_id` int(11),
  PRIMARY KEY (`coupon_product_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}currency` (
  `currency_id` int(11) AUTO_INCREMENT,
  `title` varchar(32),
  `code` varchar(3),
  `symbol_left` varchar(12),
  `symbol_right` varchar(12),
  `decimal_place` int(1) DEFAULT '2',
  `value` double(15,8),
  `status` tinyint(1) DEFAULT '0',
  `date_modified` datetime,
  PRIMARY KEY (`currency_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}customer` (
  `customer_id` int(11) AUTO_INCREMENT,
  `customer_group_id` int(11) DEFAULT '0',
  `store_id` int(11) DEFAULT '0',
  `language_id` int(11) DEFAULT '0',
  `firstname` varchar(32),
  `lastname` varchar(32),
  `email` varchar(96),
  `telephone` varchar(32),
  `password` varchar(255),
  `custom_field` text,
  `newsletter` tinyint(1) DEFAULT '0',
  `ip` varchar(40),
  `status` tinyint(1) DEFAULT '0',
  `safe` tinyint(1) DEFAULT '0',
  `commenter` tinyint(1) DEFAULT '0',
  `token` text,
  `code` varchar(40),
  `date_added` datetime,
  PRIMARY KEY (`customer_id`),
  KEY `email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}customer_group` (
  `customer_group_id` int(11) AUTO_INCREMENT,
  `approval` int(1) DEFAULT '0',
  `sort_order` int(3) DEFAULT '0',
  PRIMARY KEY (`customer_group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}customer_group_description` (
  `customer_group_id` int(11),
  `language_id` int(11),
  `name` varchar(32),
  `description` text,
  PRIMARY KEY (`customer_group_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}customer_reward` (
  `customer_reward_id` int(11) AUTO_INCREMENT,
  `customer_id` int(11) DEFAULT '0',
  `order_id` int(11) DEFAULT '0',
  `description` text,
  `points` int(8) DEFAULT '0',
  `date_added` datetime,
  PRIMARY KEY (`customer_reward_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}customer_transaction` (
  `customer_transaction_id` int(11) AUTO_INCREMENT,
  `customer_id` int(11),
  `order_id` int(11) DEFAULT '0',
  `description` text,
  `amount` decimal(15,4),
  `date_added` datetime,
  PRIMARY KEY (`customer_transaction_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}custom_field` (
  `custom_field_id` int(11) AUTO_INCREMENT,
  `type` varchar(32),
  `value` text,
  `validation` varchar(255),
  `location` varchar(10),
  `status` tinyint(1) DEFAULT '0',
  `sort_order` int(3) DEFAULT '0',
  PRIMARY KEY (`custom_field_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}custom_field_description` (
  `custom_field_id` int(11),
  `language_id` int(11),
  `name` varchar(128),
  PRIMARY KEY (`custom_field_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}custom_field_value_description` (
  `custom_field_value_id` int(11),
  `language_id` int(11),
  `custom_field_id` int(11),
  `name` varchar(128),
  PRIMARY KEY (`custom_field_value_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}extension` (
  `extension_id` int(11) AUTO_INCREMENT,
  `extension` varchar(255),
  `type` varchar(32),
  `code` varchar(128),
  PRIMARY KEY (`extension_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}geo_zone` (
  `geo_zone_id` int(11) AUTO_INCREMENT,
  `name` varchar(32),
  `description` varchar(255),
  PRIMARY KEY (`geo_zone_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}language` (
  `language_id` int(11) AUTO_INCREMENT,
  `name` varchar(32),
  `code` varchar(5),
  `locale` varchar(255),
  `extension` varchar(255),
  `sort_order` int(3) DEFAULT '0',
  `status` tinyint(1) DEFAULT '0',
  PRIMARY KEY (`language_id`),
  KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order` (
  `order_id` int(11) AUTO_INCREMENT,
  `subscription_id` int(11) DEFAULT '0',
  `invoice_no` int(11) DEFAULT '0',
  `invoice_prefix` varchar(26),
  `transaction_id` varchar(100),
  `store_id` int(11) DEFAULT '0',
  `store_name` varchar(64),
  `store_url` varchar(255),
  `customer_id` int(11) DEFAULT '0',
  `customer_group_id` int(11) DEFAULT '0',
  `firstname` varchar(32),
  `lastname` varchar(32),
  `email` varchar(96),
  `telephone` varchar(32),
  `custom_field` text,
  `payment_address_id` int(11) DEFAULT '0',
  `payment_firstname` varchar(32),
  `payment_lastname` varchar(32),
  `payment_company` varchar(60),
  `payment_address_1` varchar(128),
  `payment_address_2` varchar(128),
  `payment_city` varchar(128),
  `payment_postcode` varchar(10),
  `payment_country` varchar(128),
  `payment_country_id` int(11) DEFAULT '0',
  `payment_zone` varchar(128),
  `payment_zone_id` int(11) DEFAULT '0',
  `payment_address_format` text,
  `payment_custom_field` text,
  `payment_method` text,
  `shipping_address_id` int(11),
  `shipping_firstname` varchar(32),
  `shipping_lastname` varchar(32),
  `shipping_company` varchar(60),
  `shipping_address_1` varchar(128),
  `shipping_address_2` varchar(128),
  `shipping_city` varchar(128),
  `shipping_postcode` varchar(10),
  `shipping_country` varchar(128),
  `shipping_country_id` int(11) DEFAULT '0',
  `shipping_zone` varchar(128),
  `shipping_zone_id` int(11) DEFAULT '0',
  `shipping_address_format` text,
  `shipping_custom_field` text,
  `shipping_method` text,
  `comment` text,
  `total` decimal(15,4) DEFAULT '0.0000',
  `order_status_id` int(11) DEFAULT '0',
  `affiliate_id` int(11) DEFAULT '0',
  `commission` decimal(15,4),
  `marketing_id` int(11) DEFAULT '0',
  `tracking` varchar(64),
  `language_id` int(11),
  `language_code` varchar(5),
  `currency_id` int(11),
  `currency_code` varchar(3),
  `currency_value` decimal(15,8) DEFAULT '1.00000000',
  `ip` varchar(40),
  `forwarded_ip` varchar(40),
  `user_agent` varchar(255),
  `accept_language` varchar(255),
  `date_added` datetime,
  `date_modified` datetime,
  PRIMARY KEY (`order_id`),
  KEY `email` (`email`),
  KEY `order_status_id` (`order_status_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_history` (
  `order_history_id` int(11) AUTO_INCREMENT,
  `order_id` int(11),
  `order_status_id` int(11) DEFAULT '0',
  `notify` tinyint(1) DEFAULT '0',
  `comment` text,
  `date_added` datetime,
  PRIMARY KEY (`order_history_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_option` (
  `order_option_id` int(11) AUTO_INCREMENT,
  `order_id` int(11),
  `order_product_id` int(11),
  `product_option_id` int(11),
  `product_option_value_id` int(11) DEFAULT '0',
  `name` varchar(255),
  `value` text,
  `type` varchar(32),
  PRIMARY KEY (`order_option_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_product` (
  `order_product_id` int(11) AUTO_INCREMENT,
  `order_id` int(11),
  `product_id` int(11),
  `master_id` int(11) DEFAULT '0',
  `name` varchar(255),
  `model` varchar(64),
  `quantity` int(4) DEFAULT '1',
  `price` decimal(15,4) DEFAULT '0.0000',
  `total` decimal(15,4) DEFAULT '0.0000',
  `tax` decimal(15,4) DEFAULT '0.0000',
  `reward` int(8) DEFAULT '0',
  PRIMARY KEY (`order_product_id`),
  KEY `order_id` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_subscription` (
  `order_subscription_id` int(11) AUTO_INCREMENT,
  `order_product_id` int(11),
  `order_id` int(11),
  `product_id` int(11),
  `quantity` int(4) DEFAULT '1',
  `subscription_plan_id` int(11),
  `trial_price` decimal(10,4),
  `trial_tax` decimal(15,4),
  `trial_frequency` enum('day','week','semi_month','month','year'),
  `trial_cycle` smallint(6),
  `trial_duration` smallint(6),
  `trial_status` tinyint(1) DEFAULT '0',
  `price` decimal(10,4),
  `tax` decimal(15,4),
  `frequency` enum('day','week','semi_month','month','year'),
  `cycle` smallint(6) DEFAULT '1',
  `duration` smallint(6) DEFAULT '0',
  PRIMARY KEY (`order_subscription_id`),
  KEY `order_id` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_status` (
  `order_status_id` int(11) AUTO_INCREMENT,
  `language_id` int(11),
  `name` varchar(32),
  PRIMARY KEY (`order_status_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}order_total` (
  `order_total_id` int(10) AUTO_INCREMENT,
  `order_id` int(11),
  `extension` varchar(255),
  `code` varchar(32),
  `title` varchar(255),
  `value` decimal(15,4) DEFAULT '0.0000',
  `sort_order` int(3) DEFAULT '0',
  PRIMARY KEY (`order_total_id`),
  KEY `order_id` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}product` (
  `product_id` int(11) NOT NULL AUTO_INCREMENT,
  `master_id` int(11) NOT NULL DEFAULT '0',
  `model` varchar(64) NOT NULL,
  `sku` varchar(64) NOT NULL DEFAULT '',
  `quantity` int(4) NOT NULL DEFAULT '0',
  `shipping` tinyint(1) NOT NULL DEFAULT '1',
  `price` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `points` int(8) NOT NULL DEFAULT '0',
  `tax_class_id` int(11) NOT NULL,
  `status` tinyint(1) NOT NULL DEFAULT '0',
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`product_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}return` (
  `return_id` int(11) AUTO_INCREMENT,
  `order_id` int(11) DEFAULT '0',
  `customer_id` int(11) DEFAULT '0',
  `firstname` varchar(32),
  `lastname` varchar(32),
  `email` varchar(96),
  `telephone` varchar(32),
  `product_id` int(11) DEFAULT '0',
  `product` varchar(255),
  `model` varchar(64),
  `quantity` int(4) DEFAULT '0',
  `opened` tinyint(1) DEFAULT '0',
  `return_reason_id` int(11) DEFAULT '0',
  `return_action_id` int(11) DEFAULT '0',
  `return_status_id` int(11) DEFAULT '0',
  `comment` text,
  `date_ordered` date,
  `date_added` datetime,
  `date_modified` datetime,
  PRIMARY KEY (`return_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}return_action` (
  `return_action_id` int(11) AUTO_INCREMENT,
  `language_id` int(11) DEFAULT '0',
  `name` varchar(64),
  PRIMARY KEY (`return_action_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}return_history` (
  `return_history_id` int(11) AUTO_INCREMENT,
  `return_id` int(11),
  `return_status_id` int(11) DEFAULT '0',
  `notify` tinyint(1),
  `comment` text,
  `date_added` datetime,
  PRIMARY KEY (`return_history_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}return_reason` (
  `return_reason_id` int(11) AUTO_INCREMENT,
  `language_id` int(11) DEFAULT '0',
  `name` varchar(128),
  PRIMARY KEY (`return_reason_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}return_status` (
  `return_status_id` int(11) AUTO_INCREMENT,
  `language_id` int(11) DEFAULT '0',
  `name` varchar(32),
  PRIMARY KEY (`return_status_id`,`language_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}setting` (
  `setting_id` int(11) AUTO_INCREMENT,
  `store_id` int(11) DEFAULT '0',
  `code` varchar(128),
  `key` varchar(128),
  `value` mediumtext,
  `serialized` tinyint(1) DEFAULT '0',
  PRIMARY KEY (`setting_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}store` (
  `store_id` int(11) AUTO_INCREMENT,
  `name` varchar(64),
  `url` varchar(255),
  PRIMARY KEY (`store_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}subscription` (
  `subscription_id` int(11) AUTO_INCREMENT,
  `order_id` int(11) DEFAULT '0',
  `store_id` int(11) DEFAULT '0',
  `customer_id` int(11),
  `payment_address_id` int(11) DEFAULT '0',
  `payment_method` text,
  `shipping_address_id` int(11) DEFAULT '0',
  `shipping_method` text,
  `subscription_plan_id` int(11) DEFAULT '0',
  `trial_price` decimal(10,4),
  `trial_tax` decimal(10,4),
  `trial_frequency` enum('day','week','semi_month','month','year'),
  `trial_cycle` smallint(6) DEFAULT '0',
  `trial_duration` smallint(6) DEFAULT '0',
  `trial_remaining` smallint(6) DEFAULT '0',
  `trial_status` tinyint(1) DEFAULT '0',
  `price` decimal(10,4),
  `tax` decimal(10,4),
  `frequency` enum('day','week','semi_month','month','year'),
  `cycle` smallint(6) DEFAULT '0',
  `duration` smallint(6) DEFAULT '0',
  `remaining` smallint(6) DEFAULT '0',
  `date_next` datetime,
  `comment` text,
  `subscription_status_id` int(11) DEFAULT '0',
  `language` varchar(5),
  `currency` varchar(3),
  `date_added` datetime,
  `date_modified` datetime,
  PRIMARY KEY (`subscription_id`),
  KEY `order_id` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}tax_class` (
  `tax_class_id` int(11) AUTO_INCREMENT,
  `title` varchar(32),
  `description` varchar(255),
  PRIMARY KEY (`tax_class_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}tax_rate` (
  `tax_rate_id` int(11) AUTO_INCREMENT,
  `geo_zone_id` int(11) DEFAULT '0',
  `name` varchar(32),
  `rate` decimal(15,4) DEFAULT '0.0000',
  `type` char(1),
  PRIMARY KEY (`tax_rate_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}tax_rate_to_customer_group` (
  `tax_rate_id` int(11),
  `customer_group_id` int(11),
  PRIMARY KEY (`tax_rate_id`,`customer_group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}tax_rule` (
  `tax_rule_id` int(11) AUTO_INCREMENT,
  `tax_class_id` int(11),
  `tax_rate_id` int(11),
  `based` varchar(10),
  `priority` int(5) DEFAULT '1',
  PRIMARY KEY (`tax_rule_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}zone` (
  `zone_id` int(11) AUTO_INCREMENT,
  `country_id` int(11),
  `code` varchar(32),
  `status` tinyint(1) DEFAULT '1',
  PRIMARY KEY (`zone_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}zone_description` (
  `zone_id` int(11),
  `language_id` int(11),
  `name` varchar(255),
  PRIMARY KEY (`zone_id`,`language_id`),
  KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}zone_to_geo_zone` (
  `zone_to_geo_zone_id` int(11) AUTO_INCREMENT,
  `geo_zone_id` int(11),
  `country_id` int(11),
  `zone_id` int(11) DEFAULT '0',
  PRIMARY KEY (`zone_to_geo_zone_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `{prefix}upload` (
  `upload_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255),
  `filename` varchar(255),
  `code` varchar(255),
  `date_added` datetime,
  PRIMARY KEY (`upload_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
